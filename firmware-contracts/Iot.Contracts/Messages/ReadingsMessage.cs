namespace Iot.Contracts.Messages;

/// <summary>A batch of sensor readings, gateway to cloud, on <c>agri/v1/{gatewayId}/readings</c>.</summary>
public sealed record ReadingsMessage : ContractMessage
{
    /// <summary>The clock state under which every timestamp in <see cref="Readings"/> was taken.</summary>
    public required ClockState Clock { get; init; }

    /// <summary>1 to <see cref="MessageSchemas.MaxReadings"/> readings.</summary>
    public required IReadOnlyList<Reading> Readings { get; init; }
}

/// <summary>One sample of one sensor, stamped with the trace codes of the batches in its zone at its timestamp.</summary>
public sealed record Reading
{
    /// <summary>The sensor, unique within its gateway.</summary>
    public required string SensorId { get; init; }

    /// <summary>The zone or line the sensor is in (greenhouse, field plot, cold room, packing line).</summary>
    public required string Zone { get; init; }

    /// <summary>What is measured.</summary>
    public required MeasurementType Type { get; init; }

    /// <summary>The value in <see cref="Unit"/>; present unless <see cref="Quality"/> is bad, and always finite.</summary>
    public double? Value { get; init; }

    /// <summary>The UN/ECE Rec 20 unit of <see cref="Value"/>; must be one <see cref="MeasurementTypes.UnitsOf"/> accepts.</summary>
    public required Unit Unit { get; init; }

    /// <summary>When the sample was taken, UTC, millisecond precision.</summary>
    public required DateTime Time { get; init; }

    /// <summary>How far the value can be trusted.</summary>
    public required ReadingQuality Quality { get; init; }

    /// <summary>Why a bad reading has no value (e.g. <c>crc mismatch</c>); only on bad readings.</summary>
    public string? Error { get; init; }

    /// <summary>Batch trace codes active in <see cref="Zone"/> at <see cref="Time"/>; empty when the zone is empty.</summary>
    public required IReadOnlyList<string> TraceCodes { get; init; }
}
