using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Identity.Api.Pages;

/// <summary>
/// The NHS.UK page frame of Identity's own pages (sign-in and what follows it): header with the service name, width
/// container and main wrapper. The stylesheet and script are the portal's, served by the gateway on the same origin.
/// </summary>
public static class NhsLayout
{
    public const string ServiceName = "Practice portal";
    public const string Stylesheet = "/nhsuk/nhsuk-frontend.min.css";
    public const string Script = "/nhsuk/nhsuk-frontend.min.js";

    /// <summary>HTML-encodes text for an element or a quoted attribute.</summary>
    public static string E(string? value) => WebUtility.HtmlEncode(value ?? "");

    /// <summary>A whole page. <paramref name="hasErrors"/> prefixes the title with "Error: ", as the service manual asks.</summary>
    public static ContentHttpResult Page(string title, string main, bool hasErrors = false, int status = StatusCodes.Status200OK)
    {
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{(hasErrors ? "Error: " : "")}{E(title)} – {ServiceName} – NHS</title>
            <link rel="stylesheet" href="{Stylesheet}">
            </head>
            <body>
            <script>document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');</script>
            <a class="nhsuk-skip-link" href="#maincontent">Skip to main content</a>
            <header class="nhsuk-header" role="banner">
            <div class="nhsuk-header__container nhsuk-width-container">
            <div class="nhsuk-header__service">
            <a class="nhsuk-header__service-logo" href="/" aria-label="NHS Practice portal homepage">
            <svg class="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS"><title>NHS</title><path fill="currentcolor" d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"></path></svg>
            <span class="nhsuk-header__service-name">{ServiceName}</span>
            </a>
            </div>
            </div>
            </header>
            <div class="nhsuk-width-container">
            <main class="nhsuk-main-wrapper" id="maincontent" role="main">
            <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
            {main}
            </div>
            </div>
            </main>
            </div>
            <script type="module">import {"{"} initAll {"}"} from '{Script}'; initAll();</script>
            </body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
