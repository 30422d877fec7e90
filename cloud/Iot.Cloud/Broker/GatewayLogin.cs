using Iot.Cloud.Registry;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Iot.Cloud.Broker;

/// <summary>
/// Who may connect to the embedded broker. With <c>Broker:RequireCredentials=true</c> a client must log in as a
/// registered gateway: user name the gateway id, password its secret (<c>PUT /api/gateways/{id}/secret</c>), and
/// client id the same gateway id. Together with ingestion's check that the publishing client is the gateway a
/// message names, a gateway can speak only for itself (blueprint invariant 4). Without it, any client may connect
/// (for a broker on loopback, as in the demo) and only the client-id check holds.
/// </summary>
public static class GatewayLogin
{
    /// <summary>Sets <paramref name="e"/>'s reason code to refuse a connection that does not meet the rules.</summary>
    public static void Validate(ValidatingConnectionEventArgs e, bool requireCredentials, GatewayRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(registry);
        if (!requireCredentials)
        {
            return;
        }

        if (string.IsNullOrEmpty(e.UserName) || registry.Find(e.UserName) is not { HasSecret: true } || !registry.Authenticate(e.UserName, e.Password))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            return;
        }

        if (!string.Equals(e.ClientId, e.UserName, StringComparison.Ordinal))
        {
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
        }
    }
}
