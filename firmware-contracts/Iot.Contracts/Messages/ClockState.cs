using System.Text.Json.Serialization;

namespace Iot.Contracts.Messages;

/// <summary>
/// Whether the gateway's clock was synchronised (NTP, GPS, RTC set from one) when the timestamps in a message were taken.
/// A board without a real-time clock boots with a wrong time; its readings are stored flagged, never silently trusted.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClockState>))]
public enum ClockState
{
    /// <summary>Every timestamp in the message was taken with a synchronised clock.</summary>
    [JsonStringEnumMemberName("synchronized")]
    Synchronized,

    /// <summary>At least one timestamp in the message was taken before the clock was known to be right.</summary>
    [JsonStringEnumMemberName("unsynchronized")]
    Unsynchronized,
}
