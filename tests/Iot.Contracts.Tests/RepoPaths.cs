namespace Iot.Contracts.Tests;

/// <summary>Finds files of the repository from a test's output folder.</summary>
internal static class RepoPaths
{
    static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Iot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Iot.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => RootPath.Value;

    public static string Contracts => Path.Combine(Root, "firmware-contracts");

    public static string Schemas => Path.Combine(Contracts, "schemas");

    public static string Vectors => Path.Combine(Contracts, "vectors");
}
