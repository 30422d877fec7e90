using Iot.Edge.Clock;
using Iot.Edge.Hosting;
using Iot.Edge.Status;
using Iot.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Iot.Edge.Outbox;

/// <summary>Wiring of the outbox.</summary>
public static class OutboxServices
{
    /// <summary>The outbox file, its signal and its writer.</summary>
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<OutboxOptions>(builder.Configuration, OutboxOptions.Section);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<OutboxOptions>>().Value;
            string gateway = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id;
            return SqliteOutbox.Open(options.Path, gateway, options.MaxBytes, sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton(sp => new OutboxWriter(
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id,
            sp.GetRequiredService<SqliteOutbox>(),
            sp.GetRequiredService<OutboxSignal>(),
            sp.GetRequiredService<GatewayClock>()));
        return builder;
    }
}
