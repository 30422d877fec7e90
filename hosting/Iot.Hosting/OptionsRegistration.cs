using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Iot.Hosting;

/// <summary>Binds an options class to its section, validated at start with messages that name the bad key.</summary>
public static class OptionsRegistration
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> and validates it when the host starts.</summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
        return services;
    }
}
