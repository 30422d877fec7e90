using System.Net;

namespace Iot.Cloud.Tests;

/// <summary>What the page tests do again and again: fetch a page, asserting its status and that it is HTML.</summary>
internal static class Pages
{
    /// <summary>GETs <paramref name="path"/> (as a browser preferring <paramref name="language"/>, when given) and returns the page.</summary>
    public static async Task<string> GetAsync(HttpClient http, string path, HttpStatusCode expected, string? language = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        using var response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return text;
    }
}
