using Iot.Contracts.Identifiers;

namespace Iot.Contracts.Tests.Check;

public class GroupedBatchCodeTests
{
    [Theory]
    [InlineData("7K3M-9Q2T-XW4A-1B63", "7K3M-9Q2T-XW4A-1B63: batch trace code 7K3M9Q2TXW4A1B63 ok")]
    [InlineData("7k3m 9q2t xw4a 1b63", "7k3m 9q2t xw4a 1b63: batch trace code 7K3M9Q2TXW4A1B63 ok")]
    [InlineData("7K3M-9Q2T-XW4A-1B64", "7K3M-9Q2T-XW4A-1B64: invalid: batch trace code check character is '4', expected '3' (a character is mistyped or two are swapped)")]
    public void The_grouped_form_on_a_label_is_checked_as_a_batch_trace_code(string value, string line)
    {
        Assert.Equal(line, IdentifierCheck.Check(value).Line);
    }
}
