using Iot.Cloud.History;
using Iot.Cloud.Points;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Iot.Cloud.Tests.History;

public sealed class HistoryServicesTests
{
    [Fact]
    public void AddHistory_builds_BatchHistory_on_the_InfluxDB_client_of_AddPoints()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddPoints().AddHistory();
        using var host = builder.Build();

        Assert.Same(host.Services.GetRequiredService<BatchHistory>(), host.Services.GetRequiredService<BatchHistory>());
    }

    [Fact]
    public void AddHistory_without_AddPoints_says_so()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        var e = Assert.Throws<InvalidOperationException>(() => builder.AddHistory());
        Assert.Contains("AddPoints", e.Message, StringComparison.Ordinal);
    }
}
