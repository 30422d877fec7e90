namespace Iot.Contracts.Tests.Identifiers;

/// <summary>The typing errors a check character is meant to catch, generated from a valid value.</summary>
internal static class Mutations
{
    public const string Digits = "0123456789";

    /// <summary>Every single-character substitution: at every position, to every other character of that position's alphabet.</summary>
    public static IEnumerable<(int Position, char From, char To, string Text)> Substitutions(string valid, Func<int, string> alphabetAt)
    {
        for (int i = 0; i < valid.Length; i++)
        {
            foreach (char c in alphabetAt(i))
            {
                if (c != valid[i])
                {
                    yield return (i + 1, valid[i], c, Replace(valid, i, c));
                }
            }
        }
    }

    /// <summary>Every swap of two adjacent, different characters.</summary>
    public static IEnumerable<(int Position, string Text)> AdjacentTranspositions(string valid)
    {
        for (int i = 0; i + 1 < valid.Length; i++)
        {
            if (valid[i] != valid[i + 1])
            {
                yield return (i + 1, Swap(valid, i, i + 1));
            }
        }
    }

    public static string Replace(string text, int index, char c)
    {
        var chars = text.ToCharArray();
        chars[index] = c;
        return new string(chars);
    }

    public static string Swap(string text, int i, int j)
    {
        var chars = text.ToCharArray();
        (chars[i], chars[j]) = (chars[j], chars[i]);
        return new string(chars);
    }
}

/// <summary>A clock fixed at one instant, for birth dates "not in the future".</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly FixedClock Nov2026 = new(new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => now;
}
