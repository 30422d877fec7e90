namespace Iot.Testing;

/// <summary>Finds a server's executable, or says which Debian package provides it.</summary>
internal static class ServerBinary
{
    private static readonly string[] WellKnownDirectories = ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin"];

    /// <param name="name">The executable, e.g. "influxd".</param>
    /// <param name="debianPackage">The package that installs it, e.g. "influxdb".</param>
    /// <param name="configuredPath">An explicit path from the options, or null to search.</param>
    public static string Find(string name, string debianPackage, string? configuredPath)
    {
        if (configuredPath is not null)
        {
            return File.Exists(configuredPath)
                ? configuredPath
                : throw new ServerException(NotFound($"'{configuredPath}' (the configured {name}) does not exist", debianPackage));
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var directories = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(WellKnownDirectories);
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new ServerException(NotFound($"'{name}' was not found on PATH nor in {string.Join(", ", WellKnownDirectories)}", debianPackage));
    }

    private static string NotFound(string what, string debianPackage) =>
        $"{what}. Install the Debian package '{debianPackage}' (apt-get install {debianPackage}); ./iot test installs it. " +
        "Tests that need this server do not skip.";
}
