using System.Text.Json.Serialization;

namespace Iot.Contracts.Messages;

/// <summary>
/// What a reading measures: terms of the GS1 EPCIS 2.0 Core Business Vocabulary (CBV) measurement types, so an
/// EPCIS export needs no translation table. See <see cref="MeasurementTypes"/> for the units each one takes.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<MeasurementType>))]
public enum MeasurementType
{
    /// <summary>Air, soil or cold-room temperature (CBV <c>Temperature</c>).</summary>
    Temperature,

    /// <summary>Relative humidity of air (CBV <c>RelativeHumidity</c>).</summary>
    RelativeHumidity,

    /// <summary>Light (CBV <c>Illuminance</c>).</summary>
    Illuminance,

    /// <summary>Barometric or line pressure (CBV <c>Pressure</c>).</summary>
    Pressure,

    /// <summary>Volumetric soil water content, the fraction of soil volume that is water (CBV <c>VolumeFraction</c>).</summary>
    VolumeFraction,

    /// <summary>Irrigation or fertigation volume delivered in the reading's interval (CBV <c>Volume</c>).</summary>
    Volume,

    /// <summary>Irrigation or fertigation flow rate (CBV <c>VolumeFlowRate</c>).</summary>
    VolumeFlowRate,

    /// <summary>Weight on a scale (CBV <c>Mass</c>).</summary>
    Mass,
}
