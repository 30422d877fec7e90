using System.Collections.Concurrent;
using System.Diagnostics;
using Iot.Contracts.Messages;
using Iot.Contracts.Validation;
using Iot.Testing;
using Iot.Testing.Mosquitto;
using MQTTnet;
using MQTTnet.Protocol;

namespace Iot.Edge.Tests.Process;

/// <summary>
/// The Raspberry Pi build, proven on every run: the gateway published self-contained for linux-arm64 runs under
/// qemu-aarch64 on simulated hardware until a local broker has received its readings.
/// </summary>
public sealed class RaspberryPiBuildTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("iot-pi-").FullName;

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Iot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no Iot.sln above the test folder");
    }

    static async Task<(int Exit, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan deadline, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(deadline);
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task The_linux_arm64_self_contained_build_publishes_readings_under_qemu()
    {
        string publish = Path.Combine(_folder, "publish");
        var (exit, output) = await RunAsync("dotnet",
            ["publish", Path.Combine(RepoRoot(), "edge", "Iot.Edge", "Iot.Edge.csproj"), "-c", "Release", "-r", "linux-arm64", "--self-contained", "-o", publish, "--nologo", "-v", "quiet"],
            TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, output);

        // An ELF executable for AArch64 (e_machine 183), not the build machine's architecture.
        byte[] header = new byte[20];
        await using (var file = File.OpenRead(Path.Combine(publish, "iot-gateway")))
        {
            await file.ReadExactlyAsync(header);
        }

        Assert.Equal("\u007fELF", System.Text.Encoding.ASCII.GetString(header, 0, 4));
        Assert.Equal(183, BitConverter.ToUInt16(header, 18));

        await using var broker = await MosquittoServer.StartNewAsync();
        var got = new ConcurrentQueue<(string Topic, byte[] Payload)>();
        using var rx = new MqttClientFactory().CreateMqttClient();
        rx.ApplicationMessageReceivedAsync += e =>
        {
            got.Enqueue((e.ApplicationMessage.Topic, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        await rx.ConnectAsync(broker.CreateClientOptionsBuilder().WithClientId(UniqueNames.ClientId("pi-rx")).Build());
        await rx.SubscribeAsync(new MqttClientFactory().CreateSubscribeOptionsBuilder().WithTopicFilter("agri/v1/gw-pi/readings", MqttQualityOfServiceLevel.AtLeastOnce).Build());

        var info = new ProcessStartInfo("qemu-aarch64") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _folder };
        foreach (string a in new[]
        {
            "-L", "/", Path.Combine(publish, "iot-gateway"), "--contentRoot", _folder,
            "--Gateway:Id=gw-pi", $"--Mqtt:Port={broker.Port}", $"--Outbox:Path={Path.Combine(_folder, "outbox.db")}",
            "--Hardware:Simulated=true", "--Clock:Source=AssumeSynchronized", "--Sampling:FlushInterval=00:00:00.200",
            "--Zones:0:Id=gh1", $"--Zones:0:Batches:0={GatewayRig.Batch1}",
            "--Sensors:0:Id=air-1", "--Sensors:0:Zone=gh1", "--Sensors:0:Chip=Sht4x", "--Sensors:0:Address=68", "--Sensors:0:Interval=00:00:00.500",
        })
        {
            info.ArgumentList.Add(a);
        }

        using var gateway = System.Diagnostics.Process.Start(info)!;
        var log = new ConcurrentQueue<string>();
        gateway.OutputDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        gateway.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        gateway.BeginOutputReadLine();
        gateway.BeginErrorReadLine();
        try
        {
            var until = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (got.IsEmpty)
            {
                Assert.False(gateway.HasExited, $"the arm64 gateway exited with {(gateway.HasExited ? gateway.ExitCode : 0)}:\n{string.Join('\n', log)}");
                Assert.True(DateTime.UtcNow < until, $"no readings from the arm64 gateway within 3 minutes:\n{string.Join('\n', log)}");
                await Task.Delay(200);
            }
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
        }

        var (topic, payload) = got.First();
        var message = ContractReader.Read(topic, payload);
        Assert.True(message.IsValid, message.Reason);
        var reading = ((ReadingsMessage)message.Message!).Readings[0];
        Assert.Equal("air-1", reading.SensorId);
        Assert.Equal([GatewayRig.Batch1], reading.TraceCodes);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
