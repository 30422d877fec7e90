using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Iot.Hosting;

/// <summary>
/// Validates an options class with its data annotations (and <see cref="IValidatableObject"/>), naming every bad key
/// the way an installer writes it: <c>Mqtt:Port: must be between 1 and 65535</c>.
/// </summary>
public sealed class SectionValidator<T>(string section) : IValidateOptions<T>
    where T : class
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (results.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(r =>
        {
            string key = r.MemberNames.FirstOrDefault() is { } member ? $"{section}:{member}" : section;
            return $"{key}: {r.ErrorMessage}";
        }));
    }
}
