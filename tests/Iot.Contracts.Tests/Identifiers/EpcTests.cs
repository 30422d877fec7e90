using System.Globalization;
using Iot.Contracts.Identifiers;
using Iot.Contracts.Identifiers.Epc;

namespace Iot.Contracts.Tests.Identifiers;

public class EpcTests
{
    const string SgtinHex = "3074257BF7194E4000001A85";
    const string SgtinTagUrn = "urn:epc:tag:sgtin-96:3.0614141.812345.6789";
    const string SgtinIdUrn = "urn:epc:id:sgtin:0614141.812345.6789";
    const string SsccHex = "3174257BF4499602D2000000";
    const string SsccTagUrn = "urn:epc:tag:sscc-96:3.0614141.1234567890";
    const string SsccIdUrn = "urn:epc:id:sscc:0614141.1234567890";

    /// <summary>Company prefix bits and digits by partition, from the Tag Data Standard's table.</summary>
    static readonly (int Bits, int Digits)[] Partitions = [(40, 12), (37, 11), (34, 10), (30, 9), (27, 8), (24, 7), (20, 6)];

    [Fact]
    public void Decodes_the_sgtin_96_vector()
    {
        var epc = Sgtin96.Parse(SgtinHex);
        Assert.Equal(3, epc.Filter);
        Assert.True(epc.IsFilterReserved);
        Assert.Equal(5, epc.Partition);
        Assert.Equal("0614141", epc.CompanyPrefix);
        Assert.Equal("812345", epc.ItemReference);
        Assert.Equal(6789, epc.Serial);
        Assert.Equal(SgtinTagUrn, epc.TagUrn);
        Assert.Equal(SgtinIdUrn, epc.PureIdentityUrn);
        Assert.Equal("80614141123458", epc.Gtin.Value);
        Assert.Equal("(01)80614141123458 (21)6789", epc.ElementString);
        Assert.Equal(SgtinHex, epc.Value);
        Assert.Equal(SgtinHex, epc.ToString());
    }

    [Fact]
    public void Encodes_the_sgtin_96_vector_from_fields_urns_and_gtin()
    {
        Assert.Equal(SgtinHex, Sgtin96.Create(3, "0614141", "812345", 6789).Value);
        Assert.Equal(SgtinHex, Sgtin96.ParseTagUrn(SgtinTagUrn).Value);
        Assert.True(Sgtin96.TryParsePureIdentityUrn(SgtinIdUrn, 3, out var fromId, out var error), error);
        Assert.Equal(SgtinHex, fromId.Value);
        Assert.Equal(SgtinHex, Sgtin96.FromGtin(Gtin.Parse("80614141123458"), 7, 6789, 3).Value);
        Assert.Equal(SgtinHex, Sgtin96.Parse(SgtinHex.ToLowerInvariant()).Value);
    }

    [Fact]
    public void Decodes_and_encodes_the_sscc_96_vector()
    {
        var epc = Sscc96.Parse(SsccHex);
        Assert.Equal(3, epc.Filter);
        Assert.Equal(5, epc.Partition);
        Assert.Equal("0614141", epc.CompanyPrefix);
        Assert.Equal("1234567890", epc.SerialReference);
        Assert.Equal(SsccTagUrn, epc.TagUrn);
        Assert.Equal(SsccIdUrn, epc.PureIdentityUrn);
        Assert.Equal("106141412345678908", epc.Sscc.Value);
        Assert.Equal("(00)106141412345678908", epc.ElementString);

        Assert.Equal(SsccHex, Sscc96.Create(3, "0614141", "1234567890").Value);
        Assert.Equal(SsccHex, Sscc96.ParseTagUrn(SsccTagUrn).Value);
        Assert.True(Sscc96.TryParsePureIdentityUrn(SsccIdUrn, 3, out var fromId, out var error), error);
        Assert.Equal(SsccHex, fromId.Value);
        Assert.Equal(SsccHex, Sscc96.FromSscc(Sscc.Parse("106141412345678908"), 7, 3).Value);
    }

    [Fact]
    public void Sgtin_96_round_trips_at_every_partition_and_filter()
    {
        var random = new Random(96);
        ForEachPartitionFilterAndExtreme((partition, prefixBits, prefixDigits, filter, extreme) =>
        {
            string prefix = extreme ? new string('9', prefixDigits) : RandomDigits(random, prefixDigits);
            string item = extreme ? new string('9', 13 - prefixDigits) : RandomDigits(random, 13 - prefixDigits);
            long serial = extreme ? Sgtin96.MaxSerial : random.NextInt64(Sgtin96.MaxSerial);
            var epc = Sgtin96.Create(filter, prefix, item, serial);

            // The bits, laid out here independently.
            string expected = Hex((0x30, 8), ((ulong)filter, 3), ((ulong)partition, 3), (ulong.Parse(prefix, CultureInfo.InvariantCulture), prefixBits),
                (ulong.Parse(item, CultureInfo.InvariantCulture), 44 - prefixBits), ((ulong)serial, 38));
            Assert.Equal(expected, epc.Value);

            var decoded = Sgtin96.Parse(epc.Value);
            Assert.Equal((filter, partition, prefix, item, serial), (decoded.Filter, decoded.Partition, decoded.CompanyPrefix, decoded.ItemReference, decoded.Serial));
            Assert.Equal(epc, Sgtin96.ParseTagUrn(epc.TagUrn));
            Assert.True(Sgtin96.TryParsePureIdentityUrn(epc.PureIdentityUrn, filter, out var fromId, out _));
            Assert.Equal(epc, fromId);
            Assert.Equal(epc, Sgtin96.FromGtin(epc.Gtin, prefixDigits, serial, filter));
            Assert.True(Gtin.TryParse(epc.Gtin.Value, out _, out _));
        });
    }

    [Fact]
    public void Sscc_96_round_trips_at_every_partition_and_filter()
    {
        var random = new Random(31);
        ForEachPartitionFilterAndExtreme((partition, prefixBits, prefixDigits, filter, extreme) =>
        {
            string prefix = extreme ? new string('9', prefixDigits) : RandomDigits(random, prefixDigits);
            string reference = extreme ? new string('9', 17 - prefixDigits) : RandomDigits(random, 17 - prefixDigits);
            var epc = Sscc96.Create(filter, prefix, reference);

            string expected = Hex((0x31, 8), ((ulong)filter, 3), ((ulong)partition, 3), (ulong.Parse(prefix, CultureInfo.InvariantCulture), prefixBits),
                (ulong.Parse(reference, CultureInfo.InvariantCulture), 58 - prefixBits), (0, 24));
            Assert.Equal(expected, epc.Value);

            var decoded = Sscc96.Parse(epc.Value);
            Assert.Equal((filter, partition, prefix, reference), (decoded.Filter, decoded.Partition, decoded.CompanyPrefix, decoded.SerialReference));
            Assert.Equal(epc, Sscc96.ParseTagUrn(epc.TagUrn));
            Assert.True(Sscc96.TryParsePureIdentityUrn(epc.PureIdentityUrn, filter, out var fromId, out _));
            Assert.Equal(epc, fromId);
            Assert.Equal(epc, Sscc96.FromSscc(epc.Sscc, prefixDigits, filter));
        });
    }

    public static TheoryData<string, string> BadSgtinHex => new()
    {
        { "3074257BF7194E4000001A8", "SGTIN-96 must be 24 hex digits (96 bits), got 23 characters" },
        { "3074257BF7194E4000001A8G", "SGTIN-96: character 'G' at position 24 is not a hex digit" },
        { SsccHex, "SGTIN-96 header is 0x31, expected 0x30" },
        { Hex((0x30, 8), (1, 3), (7, 3), (0, 44), (1, 38)), "SGTIN-96 partition 7 is invalid; partitions are 0 to 6" },
        { Hex((0x30, 8), (1, 3), (6, 3), (1_000_000, 20), (1, 24), (1, 38)), "SGTIN-96 company prefix 1000000 has more than the 6 digits partition 6 allows" },
        { Hex((0x30, 8), (1, 3), (0, 3), (1, 40), (10, 4), (1, 38)), "SGTIN-96 item reference 10 has more than the 1 digits partition 0 allows" },
        { Hex((0x30, 8), (1, 3), (5, 3), (614141, 24), (1_000_000, 20), (1, 38)), "SGTIN-96 item reference 1000000 has more than the 6 digits partition 5 allows" },
        { "", "SGTIN-96 is empty" },
    };

    [Theory]
    [MemberData(nameof(BadSgtinHex))]
    public void Refuses_a_bad_sgtin_96_saying_why(string hex, string reason)
    {
        Assert.False(Sgtin96.TryParse(hex, out var epc, out var error));
        Assert.Null(epc);
        Assert.Equal(reason, error);
        Assert.Equal(reason, Assert.Throws<FormatException>(() => Sgtin96.Parse(hex)).Message);
    }

    public static TheoryData<string, string> BadSsccHex => new()
    {
        { SgtinHex, "SSCC-96 header is 0x30, expected 0x31" },
        { "3174257BF4499602D2000001", "SSCC-96 reserved bits (the last 24) must be zero, got 0x000001" },
        { Hex((0x31, 8), (0, 3), (7, 3), (0, 58), (0, 24)), "SSCC-96 partition 7 is invalid; partitions are 0 to 6" },
        { Hex((0x31, 8), (0, 3), (0, 3), (1, 40), (100_000, 18), (0, 24)), "SSCC-96 serial reference 100000 has more than the 5 digits partition 0 allows" },
        { Hex((0x31, 8), (0, 3), (6, 3), (1_048_575, 20), (1, 38), (0, 24)), "SSCC-96 company prefix 1048575 has more than the 6 digits partition 6 allows" },
    };

    [Theory]
    [MemberData(nameof(BadSsccHex))]
    public void Refuses_a_bad_sscc_96_saying_why(string hex, string reason)
    {
        Assert.False(Sscc96.TryParse(hex, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Theory]
    [InlineData("urn:epc:tag:sgtin-96:3.0614141.812345.06789", "SGTIN-96 serial must be a number from 0 to 274877906943 without leading zeros, got '06789'")]
    [InlineData("urn:epc:tag:sgtin-96:3.0614141.812345.274877906944", "SGTIN-96 serial must be a number from 0 to 274877906943 without leading zeros, got '274877906944'")]
    [InlineData("urn:epc:tag:sgtin-96:3.0614141.812345.AB12", "SGTIN-96 serial must be a number")]
    [InlineData("urn:epc:tag:sgtin-96:8.0614141.812345.6789", "SGTIN-96 filter must be one digit 0 to 7, got '8'")]
    [InlineData("urn:epc:tag:sgtin-96:3.06141.8123456.6789", "SGTIN-96 company prefix must be 6 to 12 digits, got '06141'")]
    [InlineData("urn:epc:tag:sgtin-96:3.0614141.81234.6789", "SGTIN-96 item reference must be 6 digits (indicator digit first) with a 7-digit company prefix, got '81234'")]
    [InlineData("urn:epc:tag:sgtin-96:3.0614141.812345", "SGTIN-96 URN must look like urn:epc:tag:sgtin-96:F.CP.IR.SER: 4 parts separated by '.', got 3")]
    [InlineData("urn:epc:tag:sgtin-198:3.0614141.812345.6789", "SGTIN-96 URN must look like urn:epc:tag:sgtin-96:F.CP.IR.SER")]
    [InlineData("URN:EPC:TAG:SGTIN-96:3.0614141.812345.6789", "SGTIN-96 URN must look like")]
    public void Refuses_a_bad_sgtin_tag_urn_saying_why(string urn, string reason)
    {
        Assert.False(Sgtin96.TryParseTagUrn(urn, out _, out var error));
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("urn:epc:tag:sscc-96:3.0614141.123456789", "SSCC-96 serial reference must be 10 digits (extension digit first) with a 7-digit company prefix, got '123456789'")]
    [InlineData("urn:epc:id:sscc:0614141.1234567890", "SSCC-96 URN must look like urn:epc:tag:sscc-96:F.CP.SR")]
    [InlineData("urn:epc:tag:sscc-96:3.0614141.1234567890.0", "SSCC-96 URN must look like urn:epc:tag:sscc-96:F.CP.SR: 3 parts separated by '.', got 4")]
    public void Refuses_a_bad_sscc_tag_urn_saying_why(string urn, string reason)
    {
        Assert.False(Sscc96.TryParseTagUrn(urn, out _, out var error));
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_bad_sscc_pure_identity_urn_saying_why()
    {
        Assert.False(Sscc96.TryParsePureIdentityUrn("urn:epc:id:sscc:0614141.1234567890.1", 0, out _, out var error));
        Assert.Equal("SSCC-96 URN must look like urn:epc:id:sscc:CP.SR: 2 parts separated by '.', got 3", error);
        Assert.False(Sscc96.TryParsePureIdentityUrn("urn:epc:id:sscc:0614141.1234567890", 9, out _, out error));
        Assert.Equal("SSCC-96 filter must be 0 to 7, got 9", error);
    }

    [Fact]
    public void Create_refuses_out_of_range_fields()
    {
        Assert.False(Sgtin96.TryCreate(8, "0614141", "812345", 1, out _, out var error));
        Assert.Equal("SGTIN-96 filter must be 0 to 7, got 8", error);
        Assert.False(Sgtin96.TryCreate(0, "0614141", "812345", Sgtin96.MaxSerial + 1, out _, out error));
        Assert.Equal("SGTIN-96 serial must be 0 to 274877906943, got 274877906944", error);
        Assert.False(Sgtin96.TryCreate(0, "0614141", "812345", -1, out _, out _));
        Assert.Throws<ArgumentException>(() => Sscc96.Create(0, "061414", "1234567890"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sgtin96.FromGtin(Gtin.Parse("80614141123458"), 13, 1, 0));
    }

    [Theory]
    [InlineData("04A224E2", 4)]
    [InlineData("04A224E2C45D80", 7)]
    [InlineData("04a224e2c45d80ab12cd", 10)]
    public void An_hf_tag_uid_is_4_7_or_10_bytes(string text, int bytes)
    {
        var uid = HfTagUid.Parse(text);
        Assert.Equal(bytes, uid.Length);
        Assert.Equal(text.ToUpperInvariant(), uid.Value);
        Assert.Equal(uid, HfTagUid.FromBytes(uid.ToBytes()));
        Assert.Equal(Convert.FromHexString(text), uid.ToBytes());
    }

    [Theory]
    [InlineData("04A224E2C4", "HF tag UID must be 4, 7 or 10 bytes (8, 14 or 20 hex digits), got 10 hex digits")]
    [InlineData("04A224G2", "HF tag UID: character 'G' at position 7 is not a hex digit")]
    [InlineData("", "HF tag UID is empty")]
    public void Refuses_a_bad_hf_tag_uid(string text, string reason)
    {
        Assert.False(HfTagUid.TryParse(text, out _, out var error));
        Assert.Equal(reason, error);
        Assert.Throws<ArgumentException>(() => HfTagUid.FromBytes(new byte[5]));
    }

    [Fact]
    public void An_hf_tag_uid_is_never_taken_for_an_sgtin()
    {
        // A 7-byte UID padded to 96 bits is still no SGTIN: the types do not convert, and the classifier says UID.
        Assert.False(Sgtin96.TryParse("04A224E2C45D80", out _, out _));
        Assert.StartsWith("04A224E2C45D80: HF tag UID (ISO 14443A, 7 bytes)", IdentifierCheck.Check("04A224E2C45D80").Line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_epc_has_no_check_digit_so_most_single_hex_typos_still_decode()
    {
        // Documented in Identifiers.md ("trust a tag read, not a typed EPC"): only the structure is checked.
        var typos = Mutations.Substitutions(SgtinHex, _ => "0123456789ABCDEF").ToList();
        int stillValid = typos.Count(t => Sgtin96.TryParse(t.Text, out _, out _));
        Assert.InRange(stillValid, typos.Count / 2, typos.Count - 1);
        Assert.All(typos.Where(t => t.Position <= 2), t => Assert.False(Sgtin96.TryParse(t.Text, out _, out _)));
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every partition 0..6 (with its company prefix bits and digits), every filter
    /// 0..7, and each partition's random and all-nines (extreme) key.
    /// </summary>
    static void ForEachPartitionFilterAndExtreme(Action<int, int, int, int, bool> body)
    {
        for (int partition = 0; partition <= 6; partition++)
        {
            var (prefixBits, prefixDigits) = Partitions[partition];
            for (int filter = 0; filter <= 7; filter++)
            {
                foreach (bool extreme in new[] { false, true })
                {
                    body(partition, prefixBits, prefixDigits, filter, extreme);
                }
            }
        }
    }

    static string RandomDigits(Random random, int count) =>
        string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + random.Next(10))));

    /// <summary>96 bits from (value, width) fields, most significant first, as 24 hex digits.</summary>
    internal static string Hex(params (ulong Value, int Width)[] fields)
    {
        Assert.Equal(96, fields.Sum(f => f.Width));
        UInt128 bits = 0;
        foreach (var (value, width) in fields)
        {
            bits = (bits << width) | value;
        }

        return bits.ToString("X24", CultureInfo.InvariantCulture);
    }
}
