using Iot.Edge.Hardware;
using Iot.Edge.Hosting;
using Iot.Edge.Outbox;
using Iot.Edge.Sampling;
using Iot.Edge.Uplink;
using Microsoft.Extensions.DependencyInjection;

// The gateway: read sensors, stamp readings with their batch, keep them in the outbox, send them to the broker.
return await GatewayHost.RunAsync(builder =>
{
    builder.Services.AddSystemd();
    builder.AddGatewayCore();   // identity, clock, zones and their batches
    builder.AddOutbox();        // where readings wait offline (SQLite)
    builder.AddUplink();        // MQTT: publish the outbox, status, commands (stops last, sending what sampling left)
    builder.AddHardware();      // sensors, readers and scales: real buses or simulated chips
    builder.AddSampling();      // read each sensor on its schedule, stamp, collect
    builder.AddWatchdog();      // systemd watchdog, fed while sampling and uplink are alive
    return builder.Build();
}, args, Console.Error);
