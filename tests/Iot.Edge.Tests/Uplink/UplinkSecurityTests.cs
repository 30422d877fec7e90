using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Iot.Contracts.Messages;
using Iot.Testing;
using Iot.Testing.Mosquitto;

namespace Iot.Edge.Tests.Uplink;

/// <summary>The uplink's credentials against a real Mosquitto: a password, or TLS with a CA and a client certificate.</summary>
public sealed class UplinkSecurityTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("iot-tls-").FullName;

    static async Task<bool> DrainsAsync(GatewayRig rig, Iot.Edge.Uplink.MqttUplink uplink, TimeSpan within)
    {
        await uplink.StartAsync(CancellationToken.None);
        rig.Writer.AppendReadings(rig.Readings(0, 3).Readings, ClockState.Synchronized);
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until && rig.Outbox.Snapshot().Depth > 0)
        {
            await Task.Delay(50);
        }

        bool drained = rig.Outbox.Snapshot().Depth == 0;
        await uplink.StopAsync(CancellationToken.None);
        return drained;
    }

    [Fact]
    public async Task With_the_right_password_the_outbox_drains_and_with_a_wrong_one_nothing_is_deleted()
    {
        await using var broker = await MosquittoServer.StartNewAsync(new MosquittoOptions
        {
            AllowAnonymous = false,
            Users = new Dictionary<string, string> { ["gw-rig-1"] = "s3cret", ["ingest"] = "ingest-secret" },
        });
        await broker.KeepIngestionSessionAsync("ingest", "ingest-secret");

        using (var wrong = new GatewayRig())
        {
            Assert.False(await DrainsAsync(wrong, wrong.Uplink(broker.Port, o => (o.Username, o.Password) = ("gw-rig-1", "guess")), TimeSpan.FromSeconds(2)));
            Assert.Equal(1, wrong.Outbox.Snapshot().Depth);
        }

        using var right = new GatewayRig();
        Assert.True(await DrainsAsync(right, right.Uplink(broker.Port, o => (o.Username, o.Password) = ("gw-rig-1", "s3cret")), TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Over_tls_a_gateway_with_a_client_certificate_from_the_ca_connects_and_one_without_does_not()
    {
        var (caPath, serverCert, serverKey, clientCert, clientKey) = MakePki("gw-rig-1");
        int tlsPort = FreePort.Next();
        await using var broker = await MosquittoServer.StartNewAsync(new MosquittoOptions
        {
            AdditionalConfiguration =
            [
                $"listener {tlsPort} 127.0.0.1",
                $"cafile {caPath}",
                $"certfile {serverCert}",
                $"keyfile {serverKey}",
                "require_certificate true",
                "use_identity_as_username true",
                "tls_version tlsv1.2",
            ],
        });
        await broker.KeepIngestionSessionAsync();

        using (var anonymous = new GatewayRig())
        {
            Assert.False(await DrainsAsync(anonymous, anonymous.Uplink(tlsPort, o => (o.UseTls, o.CaCertificatePath) = (true, caPath)), TimeSpan.FromSeconds(2)));
        }

        using var gateway = new GatewayRig();
        var uplink = gateway.Uplink(tlsPort, o =>
        {
            o.UseTls = true;
            o.CaCertificatePath = caPath;
            o.ClientCertificatePath = clientCert;
            o.ClientKeyPath = clientKey;
        });
        Assert.True(await DrainsAsync(gateway, uplink, TimeSpan.FromSeconds(15)));
    }

    /// <summary>A CA, a server certificate for 127.0.0.1 and a client certificate whose CN is the gateway id, as PEM files.</summary>
    (string Ca, string ServerCert, string ServerKey, string ClientCert, string ClientKey) MakePki(string gatewayId)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Farm Trace Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        (string Cert, string Key) Issue(string name, string subject, bool server)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
            if (server)
            {
                var san = new SubjectAlternativeNameBuilder();
                san.AddIpAddress(IPAddress.Loopback);
                san.AddDnsName("localhost");
                request.CertificateExtensions.Add(san.Build());
            }

            byte[] serial = RandomNumberGenerator.GetBytes(8);
            using var cert = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), serial);
            string certPath = Path.Combine(_folder, $"{name}.pem");
            string keyPath = Path.Combine(_folder, $"{name}.key");
            File.WriteAllText(certPath, cert.ExportCertificatePem());
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            return (certPath, keyPath);
        }

        string caPath = Path.Combine(_folder, "ca.pem");
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        var (serverCert, serverKey) = Issue("server", "CN=localhost", server: true);
        var (clientCert, clientKey) = Issue("client", $"CN={gatewayId}", server: false);
        return (caPath, serverCert, serverKey, clientCert, clientKey);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
