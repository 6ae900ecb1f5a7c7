/**
 * Compile-time checks for the lists of option names that constructors refuse unknown options
 * against (`Layer.optionNames`, the optimizers', fit's). A list is checked both ways:
 *
 *   static override readonly optionNames = ['filters', 'kernelSize'] as const satisfies readonly (keyof Conv2DOptions)[];
 *   type _ = NoneUnlisted<UnlistedOptions<typeof Conv2D.optionNames, Conv2DOptions, LayerOptions>>;
 *
 * The `satisfies` refuses a name that is not an option (a typo in the list); the second line refuses
 * an option of the interface that the list forgets, which would otherwise be refused at run time as
 * "unknown option" although the documentation offers it. Both cost nothing at run time.
 */

/** The keys of `Options` that neither `Names` nor `Base` (the options a base class reads) lists. */
export type UnlistedOptions<Names extends readonly PropertyKey[], Options, Base = object> = Exclude<
  keyof Options,
  Names[number] | keyof Base
>;

/** Compiles only when `T` is `never`; otherwise the error names what `T` holds, e.g. Type '"seed"' does not satisfy the constraint 'never'. */
export type NoneUnlisted<T extends never> = T;
