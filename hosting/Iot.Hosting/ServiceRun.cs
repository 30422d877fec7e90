using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Iot.Hosting;

/// <summary>Builds and runs a host, turning a configuration the service cannot run with into plain words and exit code 2.</summary>
public static class ServiceRun
{
    /// <summary>Exit code for a configuration the service cannot run with.</summary>
    public const int ConfigurationError = 2;

    /// <summary>
    /// Creates the builder, lets <paramref name="build"/> wire and build the host, validates every options class before
    /// it starts and runs it until it stops. Errors are written to <paramref name="error"/> prefixed with
    /// <paramref name="name"/>, one bad key per line.
    /// </summary>
    public static async Task<int> RunAsync<TBuilder>(string name, Func<TBuilder> createBuilder, Func<TBuilder, IHost> build, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(createBuilder);
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(error);
        IHost host;
        try
        {
            host = build(createBuilder());
        }
        catch (InvalidDataException e)
        {
            await error.WriteLineAsync($"{name}: cannot read the configuration: {e.Message} {e.InnerException?.Message}").ConfigureAwait(false);
            return ConfigurationError;
        }

        using (host)
        {
            try
            {
                // Validate every options class before the host starts, so a bad key is reported in plain words
                // rather than logged by the host as a failed start with a stack trace.
                host.Services.GetService<IStartupValidator>()?.Validate();
                await host.RunAsync().ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (ValidationFailures(e) is { Count: > 0 } failures)
            {
                await error.WriteLineAsync($"{name}: the configuration is not valid:").ConfigureAwait(false);
                foreach (string failure in failures)
                {
                    await error.WriteLineAsync($"  {failure}").ConfigureAwait(false);
                }

                return ConfigurationError;
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException or FormatException)
            {
                await error.WriteLineAsync($"{name}: cannot start: {e.Message}").ConfigureAwait(false);
                return ConfigurationError;
            }
        }
    }

    /// <summary>Every options failure inside <paramref name="e"/> (one, or several gathered by the startup validator).</summary>
    static List<string> ValidationFailures(Exception e) => e switch
    {
        OptionsValidationException v => v.Failures.ToList(),
        AggregateException a => a.InnerExceptions.SelectMany(ValidationFailures).ToList(),
        _ => [],
    };
}
