using Iot.Contracts.Identifiers;

namespace Iot.Contracts.Tests.Identifiers;

public class ResidentIdentityNumberTests
{
    const string Vector = "11010519491231002X";
    const string MaskedVector = "110105********002X";

    static readonly TimeProvider Clock = FixedClock.Nov2026;

    [Fact]
    public void Parses_the_vector_and_shows_it_only_masked()
    {
        Assert.True(ResidentIdentityNumber.TryParse(Vector, Clock, out var number, out var error), error);
        Assert.Equal(MaskedVector, number.Masked);
        Assert.Equal(MaskedVector, number.ToString());
        Assert.Equal(MaskedVector, $"{number}");
        Assert.Equal(Vector, number.RevealUnmasked());
        Assert.Equal(number, ResidentIdentityNumber.Parse(Vector));
        Assert.DoesNotContain(typeof(ResidentIdentityNumber).GetProperties(), p => p.Name == "Value");
    }

    [Theory]
    [InlineData("110105194912310021", "resident identity number check character is '1', expected 'X'")]
    [InlineData("11010519491231002x", "resident identity number: character 'x' at position 18 is not allowed (use upper case 'X')")]
    [InlineData("11010519491231002Y", "resident identity number: character 'Y' at position 18 is not allowed; the check character is a digit or 'X'")]
    [InlineData("1101051949123100X2", "resident identity number: character 'X' at position 17 is not a digit")]
    [InlineData("11010519491231002", "resident identity number must be 18 characters, got 17")]
    [InlineData("", "resident identity number is empty")]
    [InlineData(null, "resident identity number is empty")]
    public void Refuses_a_bad_number_saying_why_without_its_digits(string? value, string reason)
    {
        Assert.False(ResidentIdentityNumber.TryParse(value, Clock, out var number, out var error));
        Assert.Null(number);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
        AssertNoDigitsLeak(value, error);
    }

    [Theory]
    [InlineData("1101051949", "13", "31", "positions 11-12 are not a month")]
    [InlineData("1101051949", "00", "31", "positions 11-12 are not a month")]
    [InlineData("1101051949", "02", "29", "positions 13-14 are not a day of that month")]
    [InlineData("1101051949", "04", "31", "positions 13-14 are not a day of that month")]
    [InlineData("1101051949", "12", "00", "positions 13-14 are not a day of that month")]
    [InlineData("1101051899", "12", "31", "the birth date (positions 7-14) is before 1900")]
    [InlineData("1101052026", "11", "25", "the birth date (positions 7-14) is in the future")]
    [InlineData("1101052099", "01", "01", "the birth date (positions 7-14) is in the future")]
    public void Refuses_a_birth_date_that_is_not_real_even_with_a_right_check_character(string head, string month, string day, string reason)
    {
        string value = WithCheck(head + month + day + "002");
        Assert.False(ResidentIdentityNumber.TryParse(value, Clock, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        AssertNoDigitsLeak(value, error);
    }

    [Fact]
    public void Accepts_a_birth_date_of_today_in_china_and_of_1900()
    {
        // 2026-11-24 09:30 UTC is 17:30 in China; 2026-11-24 20:00 UTC is already the 25th there.
        Assert.True(ResidentIdentityNumber.TryParse(WithCheck("11010520261124002"), Clock, out _, out var error), error);
        Assert.True(ResidentIdentityNumber.TryParse(WithCheck("11010519000101002"), Clock, out _, out error), error);
        Assert.True(ResidentIdentityNumber.TryParse(WithCheck("11010520000229002"), Clock, out _, out error), error);
        var lateEvening = new FixedClock(new DateTimeOffset(2026, 11, 24, 20, 0, 0, TimeSpan.Zero));
        Assert.True(ResidentIdentityNumber.TryParse(WithCheck("11010520261125002"), lateEvening, out _, out error), error);
        Assert.False(ResidentIdentityNumber.TryParse(WithCheck("11010520261125002"), Clock, out _, out _));
    }

    [Fact]
    public void Every_single_substitution_is_caught_and_no_error_repeats_the_number()
    {
        int count = 0;
        foreach (var (position, from, to, text) in Mutations.Substitutions(Vector, i => i == 17 ? Mutations.Digits + "X" : Mutations.Digits))
        {
            Assert.False(ResidentIdentityNumber.TryParse(text, Clock, out _, out var error), $"{from}->{to} at {position}");
            AssertNoDigitsLeak(text, error);
            AssertNoDigitsLeak(Vector, error);
            count++;
        }

        Assert.Equal((17 * 9) + 10, count);
    }

    [Fact]
    public void Every_adjacent_transposition_is_caught()
    {
        int count = 0;
        foreach (var (position, text) in Mutations.AdjacentTranspositions(Vector))
        {
            Assert.False(ResidentIdentityNumber.TryParse(text, Clock, out _, out var error), $"swap at {position}: {text}");
            AssertNoDigitsLeak(text, error);
            count++;
        }

        Assert.True(count >= 12);
    }

    [Fact]
    public void Known_blind_spot_positions_ten_apart_share_a_weight()
    {
        // Documented in Identifiers.md: positions 6 and 16 both weigh 4, so swapping them keeps the check (and here the date).
        Assert.True(ResidentIdentityNumber.TryParse(Mutations.Swap(Vector, 5, 15), Clock, out _, out var error), error);
    }

    [Fact]
    public void Parse_throws_a_format_exception_that_does_not_repeat_the_number()
    {
        var e = Assert.Throws<FormatException>(() => ResidentIdentityNumber.Parse("110105194912310021"));
        AssertNoDigitsLeak("110105194912310021", e.Message);
    }

    /// <summary>A 17-digit body with its check character, computed here from the standard's weights.</summary>
    internal static string WithCheck(string body)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            sum += weights[i] * (body[i] - '0');
        }

        return body + "10X98765432"[sum % 11];
    }

    /// <summary>
    /// The text holds neither the number nor any run of 6 of its characters (but the first 6, which the mask shows,
    /// when <paramref name="shownPrefix"/>): so no digit of the birth date and sequence.
    /// </summary>
    internal static void AssertNoDigitsLeak(string? value, string? error, bool shownPrefix = false)
    {
        Assert.NotNull(error);
        if (value is null || value.Length < 6)
        {
            return;
        }

        Assert.DoesNotContain(value, error, StringComparison.Ordinal);
        for (int i = shownPrefix ? 1 : 0; i + 6 <= value.Length; i++)
        {
            Assert.DoesNotContain(value.Substring(i, 6), error, StringComparison.Ordinal);
        }
    }
}
