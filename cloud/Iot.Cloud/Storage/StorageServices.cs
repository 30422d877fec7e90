using Iot.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Iot.Cloud.Storage;

/// <summary>Wires the cloud's SQLite file.</summary>
public static class StorageServices
{
    /// <summary>The database at <c>Storage:Path</c>, migrated when first used (at start).</summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddValidatedOptions<StorageOptions>(builder.Configuration, StorageOptions.Section);
        builder.Services.AddSingleton(sp => CloudDatabase.Open(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Path));
        return builder;
    }
}
