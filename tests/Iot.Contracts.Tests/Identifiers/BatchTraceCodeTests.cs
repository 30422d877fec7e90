using Iot.Contracts.Identifiers;

namespace Iot.Contracts.Tests.Identifiers;

/// <summary>
/// The batch trace code's promise, proved by exhaustion: every single substitution and every transposition of two
/// different characters, adjacent or not, at any positions, is caught.
/// </summary>
public class BatchTraceCodeTests
{
    const string Alphabet = BatchTraceCode.Alphabet;
    const int Length = BatchTraceCode.Length;

    /// <summary>The README's example payload and code, worked through in Identifiers.md.</summary>
    internal const string ExamplePayload = "7K3M9Q2TXW4A1B6";

    [Fact]
    public void The_readme_example_is_valid_and_its_check_character_is_3()
    {
        Assert.Equal(ExamplePayload + "3", BatchTraceCode.FromPayload(ExamplePayload).Value);
        Assert.True(BatchTraceCode.TryParse("7K3M9Q2TXW4A1B63", out var code, out _));
        Assert.Equal("7K3M 9Q2T XW4A 1B63", code.Grouped);
    }

    [Fact]
    public void Text_is_grouped_for_reading_only_when_it_is_a_valid_code()
    {
        Assert.Equal("7K3M 9Q2T XW4A 1B63", BatchTraceCode.GroupedOrAsIs("7K3M9Q2TXW4A1B63"));
        Assert.Equal("7K3M9Q2TXW4A1B64", BatchTraceCode.GroupedOrAsIs("7K3M9Q2TXW4A1B64"));
        Assert.Equal("HN8RD4-lot", BatchTraceCode.GroupedOrAsIs("HN8RD4-lot"));
    }

    /// <summary>3^(16-i) mod 31 for position i = 1..16, computed here independently of the library.</summary>
    internal static int[] Weights()
    {
        var weights = new int[Length];
        for (int i = 0; i < Length; i++)
        {
            int w = 1;
            for (int k = 0; k < Length - 1 - i; k++)
            {
                w = w * 3 % 31;
            }

            weights[i] = w;
        }

        return weights;
    }

    [Fact]
    public void The_weights_are_distinct_and_non_zero_and_agree_with_the_library()
    {
        int[] weights = Weights();
        Assert.Equal(Length, weights.Distinct().Count());
        Assert.DoesNotContain(0, weights);
        Assert.Equal(1, weights[^1]);

        // Raising one payload character's value by 1 lowers the check value by that position's weight.
        string zeros = new('0', Length - 1);
        Assert.Equal(new string('0', Length), BatchTraceCode.FromPayload(zeros).Value);
        for (int i = 0; i < Length - 1; i++)
        {
            char check = BatchTraceCode.FromPayload(Mutations.Replace(zeros, i, '1')).Value[^1];
            Assert.Equal(Alphabet[(31 - weights[i]) % 31], check);
        }
    }

    [Fact]
    public void Proof_every_single_substitution_at_every_position_is_caught()
    {
        int cases = 0;
        for (int position = 0; position < Length; position++)
        {
            foreach (char a in Alphabet)
            {
                string valid = ValidCodeWith((position, a));
                foreach (char b in Alphabet)
                {
                    if (b == a)
                    {
                        continue;
                    }

                    string typo = Mutations.Replace(valid, position, b);
                    Assert.False(BatchTraceCode.TryParse(typo, out _, out var error), $"{a}->{b} at {position + 1}: {typo}");
                    Assert.StartsWith("batch trace code check character is", error, StringComparison.Ordinal);
                    cases++;
                }
            }
        }

        Assert.Equal(Length * 31 * 30, cases);
    }

    [Fact]
    public void Proof_every_transposition_of_two_different_characters_at_any_two_positions_is_caught()
    {
        int cases = 0;
        for (int i = 0; i < Length; i++)
        {
            for (int j = i + 1; j < Length; j++)
            {
                foreach (char a in Alphabet)
                {
                    foreach (char b in Alphabet)
                    {
                        if (a == b)
                        {
                            continue;
                        }

                        string valid = ValidCodeWith((i, a), (j, b));
                        string swapped = Mutations.Swap(valid, i, j);
                        Assert.False(BatchTraceCode.TryParse(swapped, out _, out var error), $"{a}<->{b} at {i + 1},{j + 1}: {swapped}");
                        Assert.StartsWith("batch trace code check character is", error, StringComparison.Ordinal);
                        cases++;
                    }
                }
            }
        }

        Assert.Equal(Length * (Length - 1) / 2 * 31 * 30, cases);
    }

    [Theory]
    [InlineData("7K3M9Q2TXW4A1B6O", "character 'O' at position 16 is not allowed (did you mean '0'?)")]
    [InlineData("7K3M9Q2TXW4A1B6", "must be 16 characters, got 15")]
    [InlineData("7K3M9Q2TXW4A1B64", "check character is '4', expected '3'")]
    public void Refuses_a_bad_code_saying_why(string value, string reason)
    {
        Assert.False(BatchTraceCode.TryParse(value, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    /// <summary>
    /// A valid code holding the given characters at the given (0-based) positions. A free payload position is varied
    /// until the check comes out right when the check character itself is given.
    /// </summary>
    static string ValidCodeWith(params (int Position, char Character)[] given)
    {
        var chars = new string('0', Length).ToCharArray();
        foreach (var (position, c) in given)
        {
            chars[position] = c;
        }

        string code;
        if (given.All(g => g.Position != Length - 1))
        {
            code = BatchTraceCode.FromPayload(new string(chars, 0, Length - 1)).Value;
        }
        else
        {
            int free = Enumerable.Range(0, Length - 1).First(p => given.All(g => g.Position != p));
            code = Alphabet
                .Select(c => BatchTraceCode.FromPayload(new string(Mutations.Replace(new string(chars), free, c).AsSpan(0, Length - 1))).Value)
                .First(v => v[^1] == chars[^1]);
        }

        Assert.True(BatchTraceCode.TryParse(code, out _, out _));
        foreach (var (position, c) in given)
        {
            Assert.Equal(c, code[position]);
        }

        return code;
    }
}
