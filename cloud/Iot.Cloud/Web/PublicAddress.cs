using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Iot.Cloud.Web;

/// <summary>
/// The address the public reaches this service at: <c>Web:PublicBaseUrl</c> when set (what labels and exported
/// identifiers carry, e.g. <c>https://trace.example.cn/</c>), else the address the request came to.
/// </summary>
public static class PublicAddress
{
    /// <summary>The configuration key.</summary>
    public const string Key = "Web:PublicBaseUrl";

    /// <summary>The base URL, ending in <c>/</c>.</summary>
    public static Uri Of(HttpRequest request, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(configuration);
        string text = configuration[Key] is { Length: > 0 } configured ? configured : $"{request.Scheme}://{request.Host}{request.PathBase}/";
        return new Uri(text.EndsWith('/') ? text : text + "/", UriKind.Absolute);
    }
}
