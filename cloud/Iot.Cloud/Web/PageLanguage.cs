using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace Iot.Cloud.Web;

/// <summary>
/// The language a page is written in: Chinese first; English when the request says so with <c>?lang=en</c>, a
/// <c>lang</c> cookie a switch set before, or an <c>Accept-Language</c> header whose first choice is English.
/// </summary>
/// <param name="English">True for English, false for Chinese.</param>
public readonly record struct PageLanguage(bool English)
{
    /// <summary>The cookie that remembers a reader's choice of language.</summary>
    public const string Cookie = "lang";

    /// <summary>The value of the page's <c>lang</c> attribute.</summary>
    public string HtmlLang => English ? "en" : "zh-CN";

    /// <summary>The text in this language.</summary>
    public string T(string chinese, string english) => English ? english : chinese;

    /// <summary>
    /// The request's language. A <c>lang</c> query (<c>en</c> or <c>zh</c>) wins, and when <paramref name="remember"/>
    /// it is kept in a cookie for the reader's next pages.
    /// </summary>
    public static PageLanguage Of(HttpContext context, bool remember = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        string? asked = request.Query["lang"];
        if (!string.IsNullOrEmpty(asked))
        {
            bool english = asked.StartsWith("en", StringComparison.OrdinalIgnoreCase);
            if (remember)
            {
                context.Response.Cookies.Append(Cookie, english ? "en" : "zh", new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Lax,
                    MaxAge = TimeSpan.FromDays(365),
                    Path = "/",
                });
            }

            return new PageLanguage(english);
        }

        if (request.Cookies.TryGetValue(Cookie, out string? kept))
        {
            return new PageLanguage(kept == "en");
        }

        return new PageLanguage(request.Headers.AcceptLanguage.ToString().TrimStart().StartsWith("en", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The same page in the other language: the request's path and query with <c>lang</c> replaced.</summary>
    public string SwitchUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new QueryBuilder(request.Query.Where(q => q.Key != "lang")) { { "lang", English ? "zh" : "en" } };
        return request.PathBase + request.Path + query.ToQueryString();
    }
}
