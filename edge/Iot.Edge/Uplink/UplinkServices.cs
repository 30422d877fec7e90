using Iot.Edge.Clock;
using Iot.Edge.Commands;
using Iot.Edge.Hosting;
using Iot.Edge.Outbox;
using Iot.Edge.PackingLine;
using Iot.Edge.Sampling;
using Iot.Edge.Stamping;
using Iot.Edge.Status;
using Iot.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Iot.Edge.Uplink;

/// <summary>Wiring of the uplink, its status and the commands it receives.</summary>
public static class UplinkServices
{
    /// <summary>The MQTT uplink as a hosted service, with the status reporter and command dispatcher it uses.</summary>
    public static IHostApplicationBuilder AddUplink(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MqttOptions>(builder.Configuration, MqttOptions.Section);
        builder.Services.AddSingleton(sp => new StatusReporter(
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id,
            sp.GetRequiredService<SqliteOutbox>(),
            sp.GetRequiredService<GatewayClock>(),
            sp.GetRequiredService<SensorHealthBoard>()));
        builder.Services.AddSingleton(sp => new CommandDispatcher(
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id,
            sp.GetRequiredService<BatchStamps>(),
            sp.GetRequiredService<OutboxWriter>(),
            sp.GetRequiredService<GatewayClock>(),
            scaleId => sp.GetRequiredService<PackingLines>().Tare(scaleId),
            () => sp.GetRequiredService<MqttUplink>().RequestStatus()));
        builder.Services.AddSingleton<MqttUplink>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MqttUplink>());
        return builder;
    }
}
