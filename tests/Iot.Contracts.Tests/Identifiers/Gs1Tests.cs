using Iot.Contracts.Identifiers;

namespace Iot.Contracts.Tests.Identifiers;

public class Gs1Tests
{
    const string GtinVector = "09521234543213";
    const string SsccVector = "106141412345678908";

    [Theory]
    [InlineData("0952123454321", '3')]
    [InlineData("10614141234567890", '8')]
    [InlineData("8061414112345", '8')]
    [InlineData("9638507", '4')]
    [InlineData("61414112345", '2')]
    [InlineData("061414100003", '6')]
    [InlineData("", '0')]
    public void Check_digit_weights_3_1_from_the_right(string digits, char check) =>
        Assert.Equal(check, Gs1.CheckDigit(digits));

    [Fact]
    public void Check_digit_refuses_a_non_digit()
    {
        var e = Assert.Throws<ArgumentException>(() => Gs1.CheckDigit("12A4"));
        Assert.Contains("'A' at position 3", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("09521234543213", "GTIN-14")]
    [InlineData("9521234543213", "GTIN-13")]
    [InlineData("614141123452", "GTIN-12")]
    [InlineData("96385074", "GTIN-8")]
    [InlineData("80614141123458", "GTIN-14")]
    public void Parses_every_gtin_length_and_pads_to_gtin_14(string value, string format)
    {
        var gtin = Gtin.Parse(value);
        Assert.Equal(value, gtin.Value);
        Assert.Equal(format, gtin.Format);
        Assert.Equal(value.PadLeft(14, '0'), gtin.ToGtin14().Value);
        Assert.Equal("GTIN-14", gtin.ToGtin14().Format);
        Assert.Equal("(01)" + value.PadLeft(14, '0'), gtin.ElementString);
        Assert.Equal(value, gtin.ToString());
    }

    [Theory]
    [InlineData("09521234543214", "GTIN-14 check digit is '4', expected '3'")]
    [InlineData("9521234543214", "GTIN-13 check digit is '4', expected '3'")]
    [InlineData("0952123454", "GTIN must be 8, 12, 13 or 14 digits, got 10 characters")]
    [InlineData("095212345432", "GTIN-12 check digit is '2', expected '8'")]
    [InlineData("0952123454321X", "GTIN-14: character 'X' at position 14 is not a digit")]
    [InlineData("09521 34543213", "GTIN-14: character U+0020 at position 6 is not a digit")]
    [InlineData("", "GTIN is empty")]
    [InlineData(null, "GTIN is empty")]
    public void Refuses_a_bad_gtin_saying_why(string? value, string reason)
    {
        Assert.False(Gtin.TryParse(value, out var gtin, out var error));
        Assert.Null(gtin);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
        if (value is not null)
        {
            Assert.Equal(error, Assert.Throws<FormatException>(() => Gtin.Parse(value)).Message);
        }
    }

    [Fact]
    public void Builds_a_gtin_from_its_digits_without_check()
    {
        Assert.Equal(GtinVector, Gtin.FromDigitsWithoutCheck("0952123454321").Value);
        Assert.Equal(SsccVector, Sscc.FromDigitsWithoutCheck("10614141234567890").Value);
        Assert.Throws<FormatException>(() => Gtin.FromDigitsWithoutCheck("123"));
        Assert.Throws<FormatException>(() => Gtin.FromDigitsWithoutCheck("095212345432A"));
        Assert.Throws<FormatException>(() => Sscc.FromDigitsWithoutCheck("1061414123456789"));
    }

    [Fact]
    public void Parses_the_sscc_vector_and_a_gln()
    {
        var sscc = Sscc.Parse(SsccVector);
        Assert.Equal('1', sscc.ExtensionDigit);
        Assert.Equal('8', sscc.CheckDigit);
        Assert.Equal("(00)106141412345678908", sscc.ElementString);
        Assert.Equal("0614141000036", Gln.Parse("0614141000036").Value);
        Assert.False(Gln.TryParse("0614141000037", out _, out var error));
        Assert.Equal("GLN check digit is '7', expected '6'", error);
        Assert.False(Sscc.TryParse("10614141234567890", out _, out error));
        Assert.Equal("SSCC must be 18 digits, got 17 characters", error);
        Assert.False(Sscc.TryParse("106141412345678901", out _, out error));
        Assert.Equal("SSCC check digit is '1', expected '8'", error);
    }

    public static TheoryData<string> Gs1Vectors => new() { GtinVector, SsccVector, "9521234543213", "0614141000036", "96385074", "614141123452" };

    [Theory]
    [MemberData(nameof(Gs1Vectors))]
    public void Every_single_digit_substitution_is_caught(string valid)
    {
        Assert.True(Gs1.HasValidCheckDigit(valid));
        int count = 0;
        foreach (var (position, from, to, text) in Mutations.Substitutions(valid, _ => Mutations.Digits))
        {
            Assert.False(Gs1.HasValidCheckDigit(text), $"{from}->{to} at {position}: {text}");
            Assert.False(KeyParses(text, out var error));
            Assert.Contains("check digit is", error, StringComparison.Ordinal);
            count++;
        }

        Assert.Equal(valid.Length * 9, count);
    }

    [Theory]
    [MemberData(nameof(Gs1Vectors))]
    public void Adjacent_transpositions_are_caught_except_digits_differing_by_5(string valid)
    {
        foreach (var (position, text) in Mutations.AdjacentTranspositions(valid))
        {
            int a = valid[position - 1] - '0', b = valid[position] - '0';
            bool undetectable = Math.Abs(a - b) == 5;
            Assert.Equal(undetectable, Gs1.HasValidCheckDigit(text));
            Assert.Equal(undetectable, KeyParses(text, out _));
        }
    }

    [Fact]
    public void The_sscc_vector_has_a_swap_the_algorithm_cannot_see()
    {
        // Positions 3 and 4 hold 6 and 1: weights 3 and 1 change the sum by 2 x 5 = 10, invisible mod 10.
        Assert.True(Sscc.TryParse("101641412345678908", out _, out _));
    }

    /// <summary>
    /// The full statement for adjacent transpositions, at every pair of positions of a GTIN-14 (the check digit
    /// included) and every pair of different digits: caught exactly when the digits do not differ by 5.
    /// </summary>
    [Fact]
    public void Exhaustively_gs1_catches_every_adjacent_transposition_but_the_differ_by_5_ones()
    {
        int undetected = 0;
        for (int i = 0; i < 13; i++)
        {
            for (char a = '0'; a <= '9'; a++)
            {
                for (char b = '0'; b <= '9'; b++)
                {
                    if (a == b)
                    {
                        continue;
                    }

                    string valid = ValidGtin14With(i, a, b);
                    Assert.True(Gtin.TryParse(valid, out _, out _), valid);
                    string swapped = Mutations.Swap(valid, i, i + 1);
                    bool differBy5 = Math.Abs(a - b) == 5;
                    Assert.Equal(differBy5, Gtin.TryParse(swapped, out _, out _));
                    undetected += differBy5 ? 1 : 0;
                }
            }
        }

        Assert.Equal(13 * 10, undetected);
    }

    /// <summary>A valid GTIN-14 with <paramref name="a"/> at index <paramref name="i"/> and <paramref name="b"/> after it.</summary>
    static string ValidGtin14With(int i, char a, char b)
    {
        var digits = "0952123454321".ToCharArray();
        digits[i] = a;
        if (i + 1 < 13)
        {
            digits[i + 1] = b;
            return new string(digits) + Gs1.CheckDigit(digits);
        }

        // b is the check digit: adjust the first digit (weight 3, coprime to 10) until it comes out.
        for (char first = '0'; first <= '9'; first++)
        {
            digits[0] = first;
            if (Gs1.CheckDigit(digits) == b)
            {
                return new string(digits) + b;
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    static bool KeyParses(string text, out string? error)
    {
        bool ok = text.Length switch
        {
            18 => Sscc.TryParse(text, out _, out error),
            13 => Gln.TryParse(text, out _, out error) & Gtin.TryParse(text, out _, out error),
            _ => Gtin.TryParse(text, out _, out error),
        };
        return ok;
    }
}
