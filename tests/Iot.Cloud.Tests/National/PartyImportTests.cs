using Iot.Cloud.National;

namespace Iot.Cloud.Tests.National;

public sealed class PartyImportTests
{
    const string Parties = """
        kind,role,name,creditCode,residentId,divisionCode,nationalEntityCode
        enterprise,farm,漳州市绿源蔬菜专业合作社,93350600MA2XK7L5YQ,,350602,ZT350600000101
        enterprise,farm,龙海区丰收果蔬种植场,92350681MA33PQ7R15,,350681,ZT350600000422
        household,farm,王建国家庭农场,,11010519491231002X,110105,ZT110105000533
        enterprise,distributor,福建省闽南冷链物流有限公司,91350203MA31T8QW4Y,,990100,
        household,farm,李秀英家庭农场,,110105194912310021,110105,
        enterprise,retailer,,91350206MA2Y6H3C01,,350206,
        cooperative,farm,厦门闽南果蔬加工有限公司,91350200776049653A,,,
        enterprise,processor,厦门闽南果蔬加工有限公司,91350200776049653A,,,ZT3502#0207
        """;

    [Fact]
    public void Good_rows_are_accepted_a_wrong_check_character_is_kept_and_warned_and_broken_rows_store_nothing()
    {
        using var rig = new RegistryRig();

        var report = rig.Csv(ImportKinds.Parties, Parties);

        Assert.Null(report.Refusal);
        Assert.Equal((8, 2, 0, 1, 5), (report.Rows, report.Accepted, report.Unchanged, report.Warned, report.Rejected));
        Assert.Equal(
            [ImportOutcome.Accepted, ImportOutcome.Warned, ImportOutcome.Accepted, ImportOutcome.Rejected, ImportOutcome.Rejected, ImportOutcome.Rejected, ImportOutcome.Rejected, ImportOutcome.Rejected],
            report.Results.Select(r => r.Outcome));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], report.Results.Select(r => r.Row));

        var suspicious = report.Results[1];
        Assert.Equal("92350681MA33PQ7R15", suspicious.Code);
        Assert.Equal(["creditCode: unified social credit code check character is '5', expected '4' (a character is mistyped or two are swapped)"], suspicious.Warnings);
        var kept = rig.Registry.FindParty(long.Parse(suspicious.Id!, System.Globalization.CultureInfo.InvariantCulture))!;
        Assert.Equal("92350681MA33PQ7R15", kept.CreditCode);
        Assert.Equal(suspicious.Warnings, kept.Warnings);

        Assert.Equal("110105********002X", report.Results[2].Code);

        Assert.Equal(
            [
                ("divisionCode", "'990100' does not start with a province code (GB/T 2260: 11 to 82)"),
                ("residentId", "resident identity number check character is '1', expected 'X' (a digit is mistyped or two are swapped)"),
                ("name", "is required"),
                ("kind", "'cooperative' is not one of enterprise, household"),
                ("nationalEntityCode", "national code: character '#' at position 7 is not allowed; allowed are 0-9, A-Z, a-z, '-', '.' and '_'"),
            ],
            report.Results.Skip(3).Select(r => (r.Field!, r.Reason!)));
        Assert.All(report.Results.Skip(3), r => Assert.Null(r.Id));

        Assert.Equal(3, rig.Count("parties"));
    }

    [Fact]
    public void A_second_import_of_the_same_file_changes_nothing()
    {
        using var rig = new RegistryRig();
        rig.Csv(ImportKinds.Parties, Parties);

        var again = rig.Csv(ImportKinds.Parties, Parties);

        Assert.Equal((8, 0, 3, 0, 5), (again.Rows, again.Accepted, again.Unchanged, again.Warned, again.Rejected));
        Assert.All(again.Results.Take(3), r => Assert.Empty(r.Warnings));
        Assert.Equal(3, rig.Count("parties"));
    }

    [Fact]
    public void An_entity_code_fills_in_a_known_party_once_and_a_different_one_is_rejected_not_overwritten()
    {
        using var rig = new RegistryRig();
        rig.Csv(ImportKinds.Parties, "kind,role,name,creditCode\nenterprise,farm,漳州市绿源蔬菜专业合作社,93350600MA2XK7L5YQ\n");

        var linked = rig.Csv(ImportKinds.Parties, "kind,role,name,creditCode,nationalEntityCode\nenterprise,farm,漳州市绿源蔬菜专业合作社,93350600MA2XK7L5YQ,ZT350600000101\n");
        var same = rig.Csv(ImportKinds.Parties, "kind,role,name,creditCode,nationalEntityCode\nenterprise,farm,漳州市绿源蔬菜专业合作社,93350600MA2XK7L5YQ,ZT350600000101\n");
        var other = rig.Csv(ImportKinds.Parties, "kind,role,name,creditCode,nationalEntityCode\nenterprise,farm,绿源合作社,93350600MA2XK7L5YQ,ZT350600009999\n");

        Assert.Equal(ImportOutcome.Accepted, linked.Results[0].Outcome);
        Assert.Equal(ImportOutcome.Unchanged, same.Results[0].Outcome);
        Assert.Equal(ImportOutcome.Rejected, other.Results[0].Outcome);
        Assert.Equal("nationalEntityCode", other.Results[0].Field);
        Assert.Equal("this party (id 1) is already registered with national entity code ZT350600000101; the import does not change it", other.Results[0].Reason);
        Assert.Equal("ZT350600000101", rig.Registry.FindParty(1)!.NationalEntityCode);
        Assert.Equal("漳州市绿源蔬菜专业合作社", rig.Registry.FindParty(1)!.Name);
    }

    [Fact]
    public void A_known_party_under_another_name_is_unchanged_and_says_so()
    {
        using var rig = new RegistryRig();
        rig.Csv(ImportKinds.Parties, "kind,role,name,creditCode\nenterprise,farm,漳州市绿源蔬菜专业合作社,93350600MA2XK7L5YQ\n");

        var renamed = rig.Csv(ImportKinds.Parties, "kind,role,name,creditCode\nenterprise,farm,绿源合作社,93350600MA2XK7L5YQ\n");

        Assert.Equal(ImportOutcome.Unchanged, renamed.Results[0].Outcome);
        Assert.Equal(["name: the party is registered as '漳州市绿源蔬菜专业合作社', the row says '绿源合作社'; kept as registered"], renamed.Results[0].Warnings);
    }

    [Fact]
    public void Columns_come_in_any_order_and_case_unknown_ones_are_warned_about_and_blank_cells_are_absent()
    {
        using var rig = new RegistryRig();

        var report = rig.Csv(ImportKinds.Parties, """
            Name,KIND,role,creditCode,remark,residentId,联系人,
            漳州市绿源蔬菜专业合作社,enterprise,farm,93350600MA2XK7L5YQ,老客户,,张三,
            """);

        Assert.Equal(ImportOutcome.Accepted, Assert.Single(report.Results).Outcome);
        Assert.Equal(["unknown columns ignored: remark, 联系人, (a column without a name)"], report.Warnings);
        Assert.Equal("350600", rig.Registry.FindParty(1)!.DivisionCode);
    }

    [Fact]
    public void A_file_without_a_required_column_is_refused_as_a_whole()
    {
        using var rig = new RegistryRig();

        var report = rig.Csv(ImportKinds.Parties, """
            kind,name,creditCode
            enterprise,漳州市绿源蔬菜专业合作社,93350600MA2XK7L5YQ
            """);

        Assert.Equal(
            "the header lacks the required column role (a parties file has the columns kind,role,name,creditCode,residentId,divisionCode,nationalEntityCode; required: kind, role, name)",
            report.Refusal);
        Assert.Equal((0, 0), (report.Rows, report.Results.Count));
        Assert.Equal(0, rig.Count("parties"));
    }
}
