// ./iot bench NAME [ARGS]: one benchmark per name, each in its own folder (Edge/, Ingest/, History/, Web/).
using Iot.Bench.Edge;
using Iot.Bench.History;
using Iot.Bench.Ingest;
using Iot.Bench.Web;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C ends the benchmark cleanly: the servers and the gateway it started are stopped.
    e.Cancel = true;
    stop.Cancel();
};

string name = args.Length > 0 ? args[0] : string.Empty;
string[] rest = args.Length > 0 ? args[1..] : [];
return name switch
{
    "edge" => await EdgeBench.RunAsync(rest, Console.Out, stop.Token),
    "ingest" => await IngestBench.RunAsync(rest, Console.Out, stop.Token),
    "history" => await HistoryBench.RunAsync(rest, Console.Out, stop.Token),
    "web" => await WebBench.RunAsync(rest, Console.Out, stop.Token),
    _ => Usage(name),
};

static int Usage(string name)
{
    if (name.Length > 0 && name is not ("help" or "-h" or "--help"))
    {
        Console.Error.WriteLine($"iot bench: unknown benchmark '{name}'");
    }

    Console.Error.WriteLine("""
        usage: ./iot bench NAME [ARGS]
          edge [--quick]   the gateway: readings/s through sample, stamp, outbox and uplink to a local Mosquitto,
                           against a plain MQTTnet QoS 1 publish loop of the same messages, and the resident memory
                           of the real gateway process after a minute (--quick: shorter phases, for a smoke run)
          ingest [--quick] the cloud: readings/s end to end (simulated gateways -> Mosquitto -> the cloud process ->
                           InfluxDB) against the same points POSTed to the same influxd as line protocol, 5,000 a request
          history [--quick] a batch's sensor record: milliseconds for BatchHistory over 90 days (--quick: 9) of 10
                           sensors reading once a minute (1,296,000 points), cold and then the median of warm calls
          web [--quick]    the regulator's batch page in Debian's Chromium: milliseconds from navigation to the charts
                           drawn, for the same 90 days (--quick: 9) of 10 sensors served by the iot-cloud process
        """);
    return 2;
}
