/** An error shown under the field it is about, announced when it appears. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return (
    <p className="field-error" id={id} role="alert" hidden={!message}>
      {message}
    </p>
  )
}
