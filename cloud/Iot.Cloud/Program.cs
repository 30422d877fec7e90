using Iot.Cloud.Broker;
using Iot.Cloud.DeadLetters;
using Iot.Cloud.Epcis;
using Iot.Cloud.Health;
using Iot.Cloud.History;
using Iot.Cloud.Ingestion;
using Iot.Cloud.National;
using Iot.Cloud.Points;
using Iot.Cloud.Registry;
using Iot.Cloud.Storage;
using Iot.Cloud.Tracing;
using Iot.Cloud.Web;
using Iot.Cloud.Web.Regulator;
using Iot.Hosting;
using Prometheus;
using System.Text.Json;
using System.Text.Json.Serialization;

// The cloud: take every gateway's messages from the broker, check them, store them as time series in InfluxDB or
// keep them as dead letters with the reason, and acknowledge only then.
return await ServiceRun.RunAsync("iot-cloud", () => WebApplication.CreateBuilder(args), builder =>
{
    builder.AddStorage();       // the cloud's SQLite file (registry, dead letters), migrated at start
    builder.AddRegistry();      // gateways we take traffic from; parties, products, batches, zones, trace events
    builder.AddTracing();       // backward and forward traces, recall
    builder.AddNational();      // the national platform's records: import, exchange document
    builder.AddDeadLetters();   // refused messages, whole, with why
    builder.AddPoints();        // readings and events become InfluxDB points; the batching writer
    builder.AddHistory();       // a batch's sensor record: stamped series and its zones' series, gaps as gaps
    builder.AddIngestion();     // contract, rules, dedupe, write or dead-letter, then acknowledge
    builder.AddBroker();        // embedded MQTTnet server, or a shared subscription on an external broker
    builder.AddHealth();        // readiness: broker, InfluxDB, registry
    builder.AddRegulatorPages(); // server-rendered regulator pages (Razor components)
    builder.Services.AddOpenApi();
    builder.AddProblems();      // every error an RFC 7807 problem; a body that is not the JSON a route takes says where
    builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));

    var app = builder.Build();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.MapHealth();            // /healthz/live, /healthz/ready
    app.MapMetrics();           // /metrics, Prometheus text format
    app.MapOpenApi();           // /openapi/v1.json
    app.MapRegistryApi();       // /api/gateways
    app.MapRecordsApi();        // /api/parties, products, batches, zones, events
    app.MapHistoryApi();        // /api/batches/{code}/history, series.csv
    app.MapEpcisApi();          // /api/batches/{code}/epcis
    app.MapNationalApi();       // /api/national/import, /api/batches/{code}/exchange
    app.MapTracingApi();        // /api/trace/{identifier}, /api/batches/{code}/forward, recall
    app.MapDeadLetterApi();     // /api/dead-letters, replay
    app.MapWebPages();          // /
    app.MapRegulatorPages();    // /regulator: search, batch pages with charts, forward trace and recall
    app.MapAssets();            // /assets/{file}: the pages' scripts and styles
    app.MapPublicPage();        // /t/{code}: what a shopper sees after scanning a label
    app.MapLabels();            // /labels/{code}.svg, .png: a QR code of that page
    app.MapDigitalLinkResolver(); // /01/{gtin}/10/{lot}: a label's GS1 Digital Link, redirected to that page
    return app;
}, Console.Error);
