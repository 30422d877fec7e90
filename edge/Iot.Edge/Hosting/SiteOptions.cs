using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Iot.Edge.Hosting;

/// <summary>The site the gateway serves: configuration keys <c>Zones</c> and <c>Sensors</c> at the top level.</summary>
public sealed class SiteOptions
{
    /// <summary>Zones and lines.</summary>
    public List<ZoneOptions> Zones { get; set; } = [];

    /// <summary>Sensors, readers and scales.</summary>
    public List<SensorOptions> Sensors { get; set; } = [];
}

/// <summary>Checks every zone and sensor, naming keys as <c>Sensors:2:Zone</c>, and that sensors sit in known zones.</summary>
public sealed class SiteOptionsValidator : IValidateOptions<SiteOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, SiteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (int i = 0; i < options.Zones.Count; i++)
        {
            failures.AddRange(Check(options.Zones[i], $"Zones:{i}"));
        }

        for (int i = 0; i < options.Sensors.Count; i++)
        {
            failures.AddRange(Check(options.Sensors[i], $"Sensors:{i}"));
        }

        foreach (var dup in options.Zones.GroupBy(z => z.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"Zones: zone id '{dup.Key}' appears {dup.Count()} times");
        }

        foreach (var dup in options.Sensors.GroupBy(s => s.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"Sensors: sensor id '{dup.Key}' appears {dup.Count()} times");
        }

        var zones = options.Zones.Select(z => z.Id).ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < options.Sensors.Count; i++)
        {
            if (!zones.Contains(options.Sensors[i].Zone))
            {
                failures.Add($"Sensors:{i}:Zone: sensor {options.Sensors[i].Id} is in zone '{options.Sensors[i].Zone}', which is not under Zones");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    static IEnumerable<string> Check(object item, string prefix)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(item, new ValidationContext(item), results, validateAllProperties: true);
        return results.Select(r => $"{prefix}:{r.MemberNames.FirstOrDefault() ?? string.Empty}: {r.ErrorMessage}");
    }
}
