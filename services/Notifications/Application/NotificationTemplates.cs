using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;
using Microsoft.Extensions.Options;
using Notifications.Api.Domain;
using Notifications.Api.Templates;

namespace Notifications.Api.Application;

/// <summary>What one notification says: the subject (also the in-app title), plain text (also the in-app body) and HTML.</summary>
public sealed record RenderedMessage(string Subject, string Text, string Html);

/// <summary>
/// The Liquid templates, one file per kind (<c>Templates/{kind}.liquid</c>) with a <c>--- subject ---</c>, a
/// <c>--- text ---</c> and an <c>--- html ---</c> section; the HTML goes inside <c>Templates/_layout.liquid</c>.
/// All are parsed at start-up, so a missing or broken template stops the service from starting, and variables are
/// strict, so a misspelt one fails the render (and the consumer retries) instead of sending a blank. A template's
/// variables are its model's properties in snake_case (<c>ContentSha256</c> is <c>content_sha256</c>), with
/// <c>recipient_name</c> and <c>recipient_role</c> added.
/// </summary>
public sealed partial class NotificationTemplates : IHostedService
{
    private readonly Dictionary<string, (IFluidTemplate Subject, IFluidTemplate Text, IFluidTemplate Html)> templates = new(StringComparer.Ordinal);
    private readonly IFluidTemplate layout;
    private readonly TemplateOptions fluid;
    // Escapes markup (<, >, &, quotes) but leaves £ and other letters readable in the HTML source.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public NotificationTemplates(IOptions<MessageOptions> options)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, options.Value.TemplatesPath);
        var parser = new FluidParser();
        fluid = new TemplateOptions
        {
            CultureInfo = Formats.English,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone),
            StrictVariables = true,
        };
        fluid.MemberAccessStrategy.MemberNameStrategy = MemberNameStrategies.SnakeCase;
        // Fluid reads the members of registered types only: the models and their rows (payment lines, submitted values).
        foreach (var type in typeof(SubmissionModel).Assembly.GetTypes().Where(type => type.IsPublic && type.Namespace == typeof(SubmissionModel).Namespace))
        {
            fluid.MemberAccessStrategy.Register(type);
        }
        layout = Parse(parser, Path.Combine(folder, "_layout.liquid"), File.ReadAllText(Path.Combine(folder, "_layout.liquid")));
        foreach (var kind in NotificationKinds.All.Keys)
        {
            var path = Path.Combine(folder, $"{kind}.liquid");
            if (!File.Exists(path)) throw new InvalidOperationException($"The template for '{kind}' is missing: {path}");
            var sections = Sections(path, File.ReadAllText(path));
            templates[kind] = (Parse(parser, path, sections["subject"]), Parse(parser, path, sections["text"]), Parse(parser, path, sections["html"]));
        }
    }

    public RenderedMessage Render(string kind, object model, Recipient recipient)
    {
        var (subject, text, html) = templates.TryGetValue(kind, out var found) ? found : throw new ArgumentException($"No template for '{kind}'.", nameof(kind));
        var plain = Context(model, recipient);
        var renderedSubject = Collapse(subject.Render(plain, NullEncoder.Default));
        var renderedText = text.Render(plain, NullEncoder.Default).Trim() + Environment.NewLine;
        var htmlContext = Context(model, recipient);
        htmlContext.SetValue("subject", renderedSubject);
        htmlContext.SetValue("content", html.Render(Context(model, recipient), Html));
        return new RenderedMessage(renderedSubject, renderedText, layout.Render(htmlContext, Html));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask; // parsed in the constructor, at start-up

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private TemplateContext Context(object model, Recipient recipient)
    {
        var context = new TemplateContext(model, fluid);
        context.SetValue("recipient_name", recipient.DisplayName);
        context.SetValue("recipient_role", recipient.Role);
        return context;
    }

    private static IFluidTemplate Parse(FluidParser parser, string path, string source) =>
        parser.TryParse(source, out var template, out var error) ? template : throw new InvalidOperationException($"Template {path} does not parse: {error}");

    private static Dictionary<string, string> Sections(string path, string source)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        var matches = SectionHeader().Matches(source);
        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : source.Length;
            sections[matches[i].Groups[1].Value] = source[start..end].Trim('\r', '\n');
        }
        foreach (var name in new[] { "subject", "text", "html" })
        {
            if (!sections.ContainsKey(name)) throw new InvalidOperationException($"Template {path} has no '--- {name} ---' section.");
        }
        return sections;
    }

    private static string Collapse(string subject) => Whitespace().Replace(subject, " ").Trim();

    [GeneratedRegex(@"^--- (subject|text|html) ---[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
