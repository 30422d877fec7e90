using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Iot.Cloud.Web;

/// <summary>
/// The pages' scripts and styles, embedded in the program (<c>Web/Assets/</c>: ours, and uPlot installed by npm at
/// build time), served at <c>/assets/{file}</c>. Pages link them with <see cref="Url"/>, which names the content's hash,
/// so a browser may keep them for a year and still never runs a stale script after an upgrade.
/// </summary>
public static class PageAssets
{
    const string Prefix = "Iot.Cloud.Web.Assets.";

    static readonly FrozenDictionary<string, Asset> Files = Load();

    /// <summary>The address of an embedded file, with its version: <c>/assets/uplot.min.js?v=1a2b3c4d</c>.</summary>
    /// <exception cref="ArgumentException">No such file is embedded (a mistake in a page, found by its first test).</exception>
    public static string Url(string file) =>
        Files.TryGetValue(file, out var asset) ? $"/assets/{file}?v={asset.Version}" : throw new ArgumentException($"no embedded asset '{file}'", nameof(file));

    /// <summary>Maps <c>/assets/{file}</c>.</summary>
    public static IEndpointRouteBuilder MapAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{file}", (string file, HttpContext context) =>
            {
                if (!Files.TryGetValue(file, out var asset))
                {
                    return Results.NotFound();
                }

                var headers = context.Response.GetTypedHeaders();
                headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromDays(365) };
                headers.ETag = asset.ETag;
                return context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Compare(asset.ETag, useStrongComparison: false))
                    ? Results.StatusCode(StatusCodes.Status304NotModified)
                    : Results.Bytes(asset.Content, asset.ContentType);
            })
            .ExcludeFromDescription();
        return app;
    }

    static FrozenDictionary<string, Asset> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] content = copy.ToArray();
            string file = name[Prefix.Length..];
            string version = Convert.ToHexStringLower(SHA256.HashData(content))[..12];
            string type = Path.GetExtension(file) switch
            {
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                _ => "text/plain; charset=utf-8",
            };
            files[file] = new Asset(content, type, version, new EntityTagHeaderValue($"\"{version}\""));
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    sealed record Asset(byte[] Content, string ContentType, string Version, EntityTagHeaderValue ETag);
}
