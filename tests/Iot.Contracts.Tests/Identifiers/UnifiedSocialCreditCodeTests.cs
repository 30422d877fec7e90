using Iot.Contracts.Identifiers;

namespace Iot.Contracts.Tests.Identifiers;

public class UnifiedSocialCreditCodeTests
{
    const string Vector = "91350200776049653A";

    [Fact]
    public void Parses_the_vector_and_exposes_its_parts()
    {
        var code = UnifiedSocialCreditCode.Parse(Vector);
        Assert.Equal(Vector, code.Value);
        Assert.Equal(Vector, code.ToString());
        Assert.Equal('9', code.RegistrationAuthority);
        Assert.Equal('1', code.OrganisationType);
        Assert.Equal("350200", code.DivisionCode);
        Assert.Equal("776049653", code.OrganisationIdentifier);
        Assert.Equal('A', code.CheckCharacter);
        Assert.True(code.IsCheckCharacterValid);
        Assert.Null(code.CheckWarning);
    }

    [Fact]
    public void Builds_the_vector_from_its_payload()
    {
        Assert.Equal(Vector, UnifiedSocialCreditCode.FromPayload(Vector[..17]).Value);
        Assert.Throws<FormatException>(() => UnifiedSocialCreditCode.FromPayload("9135020077604965"));
        Assert.Throws<FormatException>(() => UnifiedSocialCreditCode.FromPayload("91350200776O49653"));
    }

    [Theory]
    [InlineData("91350200776049653B", "unified social credit code check character is 'B', expected 'A'")]
    [InlineData("91350200776049653", "unified social credit code must be 18 characters, got 17")]
    [InlineData("91350200776O49653A", "unified social credit code: character 'O' at position 12 is not allowed (did you mean '0'?)")]
    [InlineData("91350200776049653a", "unified social credit code: character 'a' at position 18 is not allowed (use upper case)")]
    [InlineData("913502007760496 3A", "unified social credit code: character U+0020 at position 16 is not allowed")]
    [InlineData("91A50200776049653A", "unified social credit code: character 'A' at position 3 is not a digit; positions 3-8 are the administrative division code")]
    [InlineData("", "unified social credit code is empty")]
    public void Refuses_a_bad_code_saying_why(string value, string reason)
    {
        Assert.False(UnifiedSocialCreditCode.TryParse(value, out var code, out var error));
        Assert.Null(code);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
        Assert.Equal(error, Assert.Throws<FormatException>(() => UnifiedSocialCreditCode.Parse(value)).Message);
    }

    [Fact]
    public void Lenient_parsing_keeps_a_code_whose_check_character_is_wrong_and_says_so()
    {
        Assert.True(UnifiedSocialCreditCode.TryParseLenient("91350200776049653B", out var code, out var error));
        Assert.Null(error);
        Assert.False(code.IsCheckCharacterValid);
        Assert.Equal("unified social credit code check character is 'B', expected 'A' (a character is mistyped or two are swapped)", code.CheckWarning);
        Assert.Equal("91350200776049653B", code.Value);

        Assert.True(UnifiedSocialCreditCode.TryParseLenient(Vector, out code, out _));
        Assert.True(code.IsCheckCharacterValid);

        // The wrong shape is still refused.
        Assert.False(UnifiedSocialCreditCode.TryParseLenient("91350200776O49653A", out _, out error));
        Assert.Contains("'O' at position 12", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_single_substitution_within_the_alphabet_is_caught()
    {
        int count = 0;
        foreach (var (position, from, to, text) in Mutations.Substitutions(Vector, _ => UnifiedSocialCreditCode.Alphabet))
        {
            Assert.False(UnifiedSocialCreditCode.TryParse(text, out _, out var error), $"{from}->{to} at {position}");
            Assert.False(string.IsNullOrEmpty(error));
            count++;
        }

        Assert.Equal(18 * 30, count);
    }

    [Fact]
    public void Every_adjacent_transposition_is_caught()
    {
        int count = 0;
        foreach (var (position, text) in Mutations.AdjacentTranspositions(Vector))
        {
            Assert.False(UnifiedSocialCreditCode.TryParse(text, out _, out var error), $"swap at {position}: {text}");
            Assert.False(string.IsNullOrEmpty(error));
            count++;
        }

        Assert.Equal(17 - CountEqualNeighbours(Vector), count);
    }

    [Fact]
    public void Known_blind_spot_position_1_and_the_check_character_share_weight_1()
    {
        // Documented in Identifiers.md: the formula cannot see this swap.
        Assert.True(UnifiedSocialCreditCode.TryParse(Mutations.Swap(Vector, 0, 17), out _, out _));
        for (int i = 1; i < 17; i++)
        {
            if (Vector[i] != Vector[17])
            {
                Assert.False(UnifiedSocialCreditCode.TryParse(Mutations.Swap(Vector, i, 17), out _, out _));
            }
        }
    }

    [Fact]
    public void The_weights_are_powers_of_3_mod_31()
    {
        // Any payload: moving one character's value by 1 moves the check value by minus its weight.
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        string zeros = new('0', 17);
        Assert.Equal('0', UnifiedSocialCreditCode.FromPayload(zeros).CheckCharacter);
        for (int i = 0; i < 17; i++)
        {
            char check = UnifiedSocialCreditCode.FromPayload(Mutations.Replace(zeros, i, '1')).CheckCharacter;
            Assert.Equal(UnifiedSocialCreditCode.Alphabet[(31 - weights[i]) % 31], check);
        }
    }

    static int CountEqualNeighbours(string text) => Enumerable.Range(0, text.Length - 1).Count(i => text[i] == text[i + 1]);
}
