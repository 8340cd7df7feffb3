import { z } from 'zod'

/** The params of a method that takes none: an empty object, nothing else (JSON-RPC may omit it). */
export const NoParams = z.object({}).strict()
