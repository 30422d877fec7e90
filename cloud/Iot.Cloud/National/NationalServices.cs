using Iot.Cloud.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Iot.Cloud.National;

/// <summary>Wires the national platform's import (the routes are wired by the host).</summary>
public static class NationalServices
{
    /// <summary>
    /// <see cref="NationalImport"/> as a singleton over the registry's <see cref="RegistryStore"/> (registered by the
    /// registry's wiring), with the default <see cref="NationalImportLimits"/> unless some are registered first.
    /// </summary>
    public static IHostApplicationBuilder AddNational(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(new NationalImportLimits());
        builder.Services.AddSingleton(sp => new NationalImport(sp.GetRequiredService<RegistryStore>(), sp.GetRequiredService<NationalImportLimits>()));
        return builder;
    }
}
