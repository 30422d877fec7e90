using Iot.Contracts.Identifiers;

namespace Iot.Contracts.Tests.Identifiers;

public class Gs1DigitalLinkTests
{
    const string Domain = "id.example.com";

    /// <summary>The 82 characters of the GS1 AI encodable character set 82.</summary>
    const string Set82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    static readonly Gtin Gtin14 = Gtin.Parse("09521234543213");

    [Fact]
    public void Set_82_has_82_characters() => Assert.Equal(82, Set82.Distinct().Count());

    [Fact]
    public void Builds_and_parses_a_gtin_link_with_every_qualifier_in_order()
    {
        var link = Gs1DigitalLink.ForGtin(Domain, Gtin14, consumerProductVariant: "2A", batch: "LOT-7", serial: "123", expiryDate: "261231");
        Assert.Equal("https://id.example.com/01/09521234543213/22/2A/10/LOT-7/21/123?17=261231", link.Value);
        Assert.Equal("(01)09521234543213 (22)2A (10)LOT-7 (21)123 (17)261231", link.ElementString);

        var parsed = Gs1DigitalLink.Parse(link.Value);
        Assert.Equal(link, parsed);
        Assert.Equal(Domain, parsed.Domain);
        Assert.Equal(Gtin14, parsed.Gtin);
        Assert.Null(parsed.Sscc);
        Assert.Equal(("2A", "LOT-7", "123", "261231"), (parsed.ConsumerProductVariant, parsed.Batch, parsed.Serial, parsed.ExpiryDate));
    }

    [Theory]
    [InlineData("https://id.example.com/01/09521234543213")]
    [InlineData("https://id.example.com/01/09521234543213/10/ABC")]
    [InlineData("https://id.example.com/01/09521234543213/21/1")]
    [InlineData("https://id.example.com/01/09521234543213/10/A/21/B")]
    [InlineData("https://id.example.com/01/09521234543213/22/V1/21/B")]
    [InlineData("https://id.example.com/01/09521234543213?17=260200")]
    [InlineData("https://id.example.com:8443/01/09521234543213/10/12345678901234567890")]
    [InlineData("https://id.example.com/00/106141412345678908")]
    public void Canonical_links_round_trip(string uri) => Assert.Equal(uri, Gs1DigitalLink.Parse(uri).Value);

    [Fact]
    public void Pads_a_shorter_gtin_to_14_digits_on_build_and_on_parse()
    {
        Assert.Equal("https://id.example.com/01/09521234543213", Gs1DigitalLink.ForGtin(Domain, Gtin.Parse("9521234543213")).Value);
        Assert.Equal("https://id.example.com/01/00000096385074", Gs1DigitalLink.ForGtin(Domain, Gtin.Parse("96385074")).Value);
        Assert.Equal("https://id.example.com/01/00614141123452", Gs1DigitalLink.Parse("https://id.example.com/01/614141123452").Value);
    }

    [Fact]
    public void Builds_and_parses_an_sscc_link()
    {
        var link = Gs1DigitalLink.ForSscc(Domain, Sscc.Parse("106141412345678908"));
        Assert.Equal("https://id.example.com/00/106141412345678908", link.Value);
        Assert.Equal("(00)106141412345678908", link.ElementString);
        Assert.Equal("106141412345678908", Gs1DigitalLink.Parse(link.Value).Sscc?.Value);
    }

    [Theory]
    [InlineData("A/B%C", "A%2FB%25C")]
    [InlineData("LOT/7", "LOT%2F7")]
    [InlineData("a?b=c&d", "a%3Fb%3Dc%26d")]
    [InlineData("x-y.z_1", "x-y.z_1")]
    [InlineData("\"<>\"", "%22%3C%3E%22")]
    public void Percent_encodes_what_is_not_unreserved(string batch, string encoded)
    {
        var link = Gs1DigitalLink.ForGtin(Domain, Gtin14, batch: batch);
        Assert.Equal($"https://id.example.com/01/09521234543213/10/{encoded}", link.Value);
        Assert.Equal(batch, Gs1DigitalLink.Parse(link.Value).Batch);
    }

    [Fact]
    public void Every_set_82_character_survives_build_and_parse()
    {
        for (int i = 0; i < Set82.Length; i += 20)
        {
            string chunk = Set82.Substring(i, Math.Min(20, Set82.Length - i));
            var link = Gs1DigitalLink.ForGtin(Domain, Gtin14, batch: chunk, serial: new string(chunk.Reverse().ToArray()));
            var parsed = Gs1DigitalLink.Parse(link.Value);
            Assert.Equal(chunk, parsed.Batch);
            Assert.Equal(new string(chunk.Reverse().ToArray()), parsed.Serial);
        }
    }

    [Fact]
    public void Decodes_lower_case_escapes_and_sub_delimiters_left_raw()
    {
        var link = Gs1DigitalLink.Parse("https://ID.Example.com/01/09521234543213/10/a%2fb!c:d/21/%41");
        Assert.Equal("a/b!c:d", link.Batch);
        Assert.Equal("A", link.Serial);
        Assert.Equal("https://id.example.com/01/09521234543213/10/a%2Fb%21c%3Ad/21/A", link.Value);
    }

    [Theory]
    [InlineData("https://id.example.com/01/09521234543214", "GS1 Digital Link AI 01: GTIN-14 check digit is '4', expected '3'")]
    [InlineData("https://id.example.com/00/106141412345678901", "GS1 Digital Link AI 00: SSCC check digit is '1', expected '8'")]
    [InlineData("https://id.example.com/01/09521234543213/99/X", "GS1 Digital Link: unknown AI '99'")]
    [InlineData("https://id.example.com/99/X", "GS1 Digital Link: unknown AI '99' where the path must start with AI 01 (GTIN) or AI 00 (SSCC)")]
    [InlineData("https://id.example.com/10/ABC/01/09521234543213", "GS1 Digital Link path must start with AI 01 (GTIN) or AI 00 (SSCC), got AI '10' first")]
    [InlineData("https://id.example.com/01/09521234543213/21/1/10/A", "GS1 Digital Link: AI 10 is out of order; qualifiers go 22, 10, 21")]
    [InlineData("https://id.example.com/01/09521234543213/10/A/22/B", "GS1 Digital Link: AI 22 is out of order")]
    [InlineData("https://id.example.com/01/09521234543213/10/A/10/B", "GS1 Digital Link: AI 10 given twice")]
    [InlineData("https://id.example.com/01/09521234543213/10/123456789012345678901", "GS1 Digital Link: AI 10 is too long: at most 20 characters, got 21")]
    [InlineData("https://id.example.com/01/09521234543213/21/%C3%A9", "GS1 Digital Link: AI 21: %C3 is not an ASCII character; the GS1 AI character set 82 is ASCII only")]
    [InlineData("https://id.example.com/01/09521234543213/21/%7E", "GS1 Digital Link: AI 21: character '~' at position 1 is not in the GS1 AI character set 82")]
    [InlineData("https://id.example.com/01/09521234543213/21/a b", "GS1 Digital Link: AI 21: character U+0020 must be percent-encoded")]
    [InlineData("https://id.example.com/01/09521234543213/21/%2", "GS1 Digital Link: AI 21 has a '%' not followed by two hex digits")]
    [InlineData("https://id.example.com/01/09521234543213/10", "GS1 Digital Link: AI '10' has no value")]
    [InlineData("https://id.example.com/01/09521234543213/10/", "GS1 Digital Link path ends with '/'")]
    [InlineData("https://id.example.com/01//09521234543213", "GS1 Digital Link path has an empty segment")]
    [InlineData("https://id.example.com/00/106141412345678908/21/1", "GS1 Digital Link: an SSCC (AI 00) takes no qualifiers, got AI '21'")]
    [InlineData("https://id.example.com/01/09521234543213/17/261231", "GS1 Digital Link: AI 17 (expiry date) belongs in the query, ?17=YYMMDD")]
    [InlineData("https://id.example.com/01/09521234543213?17=261331", "GS1 Digital Link: AI 17 (expiry date) month must be 01 to 12")]
    [InlineData("https://id.example.com/01/09521234543213?17=270229", "GS1 Digital Link: AI 17 (expiry date) day must be 00 to 28 for that month")]
    [InlineData("https://id.example.com/01/09521234543213?17=2612", "GS1 Digital Link: AI 17 (expiry date) must be 6 digits YYMMDD")]
    [InlineData("https://id.example.com/01/09521234543213?17=261231&17=261231", "GS1 Digital Link: AI 17 given twice")]
    [InlineData("https://id.example.com/01/09521234543213?linkType=x", "GS1 Digital Link: unknown query parameter 'linkType'; only 17 (expiry date) is allowed")]
    [InlineData("https://id.example.com/01/09521234543213#x", "GS1 Digital Link must not have a fragment ('#')")]
    [InlineData("http://id.example.com/01/09521234543213", "GS1 Digital Link must use https, not http")]
    [InlineData("ftp://id.example.com/01/09521234543213", "GS1 Digital Link must start with https://")]
    [InlineData("https://id.example.com", "GS1 Digital Link has no path")]
    [InlineData("https://id_example.com/01/09521234543213", "GS1 Digital Link: the domain has character '_'")]
    [InlineData("https://user@id.example.com/01/09521234543213", "GS1 Digital Link: the domain has character '@'")]
    [InlineData("https://id.example.com:0/01/09521234543213", "GS1 Digital Link: port '0' is not a number from 1 to 65535")]
    [InlineData("", "GS1 Digital Link is empty")]
    public void Refuses_a_bad_link_naming_the_problem(string uri, string reason)
    {
        Assert.False(Gs1DigitalLink.TryParse(uri, out var link, out var error));
        Assert.Null(link);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
        Assert.Equal(error, Assert.Throws<FormatException>(() => Gs1DigitalLink.Parse(uri)).Message);
    }

    [Fact]
    public void Building_refuses_what_a_link_cannot_carry()
    {
        var e = Assert.Throws<ArgumentException>(() => Gs1DigitalLink.ForGtin(Domain, Gtin14, batch: new string('A', 21)));
        Assert.StartsWith("GS1 Digital Link: AI 10 is too long: at most 20 characters, got 21", e.Message, StringComparison.Ordinal);
        Assert.Equal("batch", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gs1DigitalLink.ForGtin(Domain, Gtin14, serial: "é"));
        Assert.StartsWith("GS1 Digital Link: AI 21: character 'é' at position 1 is not in the GS1 AI character set 82", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Gs1DigitalLink.ForGtin(Domain, Gtin14, serial: string.Empty));
        Assert.Throws<ArgumentException>(() => Gs1DigitalLink.ForGtin(Domain, Gtin14, expiryDate: "261232"));
        Assert.Throws<ArgumentException>(() => Gs1DigitalLink.ForGtin("bad domain", Gtin14));
        Assert.Throws<ArgumentException>(() => Gs1DigitalLink.ForSscc("-x.com", Sscc.Parse("106141412345678908")));
    }
}
