using System.Runtime.CompilerServices;
using Iot.Contracts.Identifiers;

[assembly: InternalsVisibleTo("Iot.Contracts.Tests")]

namespace Iot.Check;

/// <summary>
/// <c>iot check VALUE...</c>: one line per value saying what identifier it is and whether it is valid
/// (<see cref="IdentifierCheck"/>).
/// </summary>
internal static class CheckCommand
{
    /// <summary>Every value is a valid identifier.</summary>
    public const int ExitValid = 0;

    /// <summary>At least one value is invalid.</summary>
    public const int ExitInvalid = 1;

    /// <summary>No value was given.</summary>
    public const int ExitUsage = 2;

    public const string Usage = """
        usage: iot check VALUE...
          Says for each VALUE what identifier it is and whether it is valid, one line each:
            VALUE: KIND ok
            VALUE: invalid: REASON
          Knows GTIN-8/12/13/14, GLN, SSCC, SGTIN-96 and SSCC-96 EPCs (hex and URNs), GS1 Digital Links,
          unified social credit codes, resident identity numbers (always shown masked), batch trace codes,
          HF tag UIDs and national trace codes.
          Exit code: 0 all valid, 1 some value invalid, 2 no value given.
        """;

    /// <summary>Checks every value in <paramref name="args"/>, writing one line each to <paramref name="output"/>.</summary>
    /// <returns>The exit code: <see cref="ExitValid"/>, <see cref="ExitInvalid"/> or <see cref="ExitUsage"/> (usage on <paramref name="error"/>).</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error) =>
        Run(args, output, error, TimeProvider.System);

    /// <inheritdoc cref="Run(IReadOnlyList{string}, TextWriter, TextWriter)"/>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count == 0)
        {
            error.WriteLine(Usage);
            return ExitUsage;
        }

        int exit = ExitValid;
        foreach (string value in args)
        {
            var report = IdentifierCheck.Check(value, clock);
            output.WriteLine(report.Line);
            if (!report.IsValid)
            {
                exit = ExitInvalid;
            }
        }

        return exit;
    }
}
