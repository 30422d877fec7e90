using System.Text.Json.Serialization;

namespace Iot.Contracts.Messages;

/// <summary>How far a reading can be trusted. A failed read is reported as <see cref="Bad"/> with no value, never as a stale one.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReadingQuality>))]
public enum ReadingQuality
{
    /// <summary>A valid reading within the sensor's calibrated range.</summary>
    [JsonStringEnumMemberName("good")]
    Good,

    /// <summary>A value was read but is doubtful: outside the calibrated range, sensor warming up, scale not settled.</summary>
    [JsonStringEnumMemberName("uncertain")]
    Uncertain,

    /// <summary>No valid value: bus error, CRC mismatch, timeout. The reading has no value and says why in <c>error</c>.</summary>
    [JsonStringEnumMemberName("bad")]
    Bad,
}
