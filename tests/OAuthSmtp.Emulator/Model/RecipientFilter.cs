using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace OAuthSmtp.Emulator.Model;

/// <summary>
/// Evaluates the OPATH recipient filters that management scopes carry (New-ManagementScope -RecipientRestrictionFilter),
/// as far as the RBAC-for-SMTP route needs: comparisons on a mailbox's properties joined with -and, -or, -not and
/// parentheses. Used by both the admin cmdlets (Test-ServicePrincipalAuthorization) and the SMTP policy.
/// </summary>
public static class RecipientFilter
{
    /// <summary>Properties a filter may name, as Exchange spells them.</summary>
    public static readonly IReadOnlyList<string> SupportedProperties = new[]
    {
        "MemberOfGroup", "PrimarySmtpAddress", "Name", "Alias", "RecipientTypeDetails", "DisplayName",
        "UserPrincipalName", "EmailAddresses", "ExternalDirectoryObjectId", "ExchangeGuid",
    };

    /// <summary>
    /// Whether <paramref name="mailbox"/> is inside <paramref name="filter"/>. An empty or null filter matches every
    /// mailbox (a scope without a restriction covers the whole organisation). Throws <see cref="FormatException"/>
    /// for a filter that does not parse.
    /// </summary>
    public static bool Matches(Mailbox mailbox, string? filter, TenantModel tenant)
    {
        if (mailbox is null) throw new ArgumentNullException(nameof(mailbox));
        if (tenant is null) throw new ArgumentNullException(nameof(tenant));
        var expression = Parse(filter);
        if (expression is null) return true;
        lock (tenant.SyncRoot)
        {
            return expression.Evaluate(mailbox, tenant);
        }
    }

    /// <summary>Checks the syntax only; throws <see cref="FormatException"/> naming the problem.</summary>
    public static void Validate(string? filter) => Parse(filter);

    /// <summary>A mailbox's Name: the model's Name when set, otherwise its alias (what Exchange derives it from).</summary>
    public static string NameOf(Mailbox mailbox) => string.IsNullOrEmpty(mailbox.Name) ? mailbox.Alias : mailbox.Name;

    private static Node? Parse(string? filter)
    {
        var text = (filter ?? "").Trim();
        if (text.StartsWith("{", StringComparison.Ordinal) && text.EndsWith("}", StringComparison.Ordinal))
        {
            text = text.Substring(1, text.Length - 2).Trim();
        }

        if (text.Length == 0) return null;
        var parser = new Parser(Tokenize(text), text);
        var node = parser.ParseOr();
        parser.ExpectEnd();
        return node;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(' || c == ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c == '\'' || c == '"')
            {
                // A quoted value; a doubled quote stands for one quote character, as in PowerShell.
                var value = new StringBuilder("'");
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == c)
                    {
                        if (i + 1 < text.Length && text[i + 1] == c)
                        {
                            value.Append(c);
                            i += 2;
                            continue;
                        }

                        i++;
                        closed = true;
                        break;
                    }

                    value.Append(text[i++]);
                }

                if (!closed) throw new FormatException($"The filter \"{text}\" has a quoted value without its closing quote.");
                tokens.Add(value.ToString());
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '(' && text[i] != ')' && text[i] != '\'' && text[i] != '"')
                {
                    i++;
                }

                tokens.Add(text.Substring(start, i - start));
            }
        }

        return tokens;
    }

    private sealed class Parser
    {
        private readonly List<string> _tokens;
        private readonly string _text;
        private int _position;

        public Parser(List<string> tokens, string text)
        {
            _tokens = tokens;
            _text = text;
        }

        private string? Peek => _position < _tokens.Count ? _tokens[_position] : null;

        private FormatException Error(string what) =>
            new($"Invalid filter syntax in \"{_text}\": {what}. Write comparisons like \"MemberOfGroup -eq '<group DN>'\" joined with -and/-or.");

        private bool IsKeyword(string keyword) => string.Equals(Peek, keyword, StringComparison.OrdinalIgnoreCase);

        public void ExpectEnd()
        {
            if (Peek is not null) throw Error($"unexpected '{Peek}'");
        }

        public Node ParseOr()
        {
            var left = ParseAnd();
            while (IsKeyword("-or"))
            {
                _position++;
                left = new OrNode(left, ParseAnd());
            }

            return left;
        }

        private Node ParseAnd()
        {
            var left = ParseUnary();
            while (IsKeyword("-and"))
            {
                _position++;
                left = new AndNode(left, ParseUnary());
            }

            return left;
        }

        private Node ParseUnary()
        {
            if (IsKeyword("-not") || Peek == "!")
            {
                _position++;
                return new NotNode(ParseUnary());
            }

            if (Peek == "(")
            {
                _position++;
                var inner = ParseOr();
                if (Peek != ")") throw Error("a '(' without its ')'");
                _position++;
                return inner;
            }

            return ParseComparison();
        }

        private Node ParseComparison()
        {
            var property = Peek ?? throw Error("a comparison is missing");
            if (property.StartsWith("'", StringComparison.Ordinal) || property.StartsWith("-", StringComparison.Ordinal) || property == ")")
            {
                throw Error($"expected a property name but found '{property.TrimStart('\'')}'");
            }

            var canonical = SupportedProperties.FirstOrDefault(p => string.Equals(p, property, StringComparison.OrdinalIgnoreCase))
                ?? throw Error($"'{property}' is not a recognized filterable property");
            _position++;
            var op = Peek?.ToLowerInvariant();
            if (op is not ("-eq" or "-ne" or "-like" or "-notlike"))
            {
                throw Error($"expected -eq, -ne, -like or -notlike after {canonical}");
            }

            _position++;
            var raw = Peek ?? throw Error($"a value is missing after {canonical} {op}");
            _position++;
            string value;
            if (raw.StartsWith("'", StringComparison.Ordinal))
            {
                value = raw.Substring(1);
            }
            else if (string.Equals(raw, "$null", StringComparison.OrdinalIgnoreCase))
            {
                value = "";
            }
            else if (raw.StartsWith("-", StringComparison.Ordinal) || raw is "(" or ")")
            {
                throw Error($"a value is missing after {canonical} {op}");
            }
            else
            {
                value = raw;
            }

            return new ComparisonNode(canonical, op, value);
        }
    }

    private abstract class Node
    {
        public abstract bool Evaluate(Mailbox mailbox, TenantModel tenant);
    }

    private sealed class AndNode(Node left, Node right) : Node
    {
        public override bool Evaluate(Mailbox mailbox, TenantModel tenant) => left.Evaluate(mailbox, tenant) && right.Evaluate(mailbox, tenant);
    }

    private sealed class OrNode(Node left, Node right) : Node
    {
        public override bool Evaluate(Mailbox mailbox, TenantModel tenant) => left.Evaluate(mailbox, tenant) || right.Evaluate(mailbox, tenant);
    }

    private sealed class NotNode(Node inner) : Node
    {
        public override bool Evaluate(Mailbox mailbox, TenantModel tenant) => !inner.Evaluate(mailbox, tenant);
    }

    private sealed class ComparisonNode(string property, string op, string value) : Node
    {
        public override bool Evaluate(Mailbox mailbox, TenantModel tenant)
        {
            // A multi-valued property (EmailAddresses, MemberOfGroup) matches -eq when any of its values does,
            // and -ne when none does, as OPATH does.
            var values = ValuesOf(mailbox, tenant).ToList();
            return op switch
            {
                "-eq" => values.Any(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)) || (value.Length == 0 && values.Count == 0),
                "-ne" => !(values.Any(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)) || (value.Length == 0 && values.Count == 0)),
                "-like" => values.Any(v => Like(v, value)),
                _ => !values.Any(v => Like(v, value)),
            };
        }

        private IEnumerable<string> ValuesOf(Mailbox mailbox, TenantModel tenant)
        {
            switch (property)
            {
                case "MemberOfGroup":
                    return tenant.Groups.Where(g => g.Members.Any(member => IsSameRecipient(member, mailbox))).Select(g => g.DistinguishedName);
                case "PrimarySmtpAddress":
                    return One(mailbox.PrimarySmtpAddress);
                case "Name":
                    return One(NameOf(mailbox));
                case "Alias":
                    return One(mailbox.Alias);
                case "RecipientTypeDetails":
                    return One(mailbox.RecipientTypeDetails);
                case "DisplayName":
                    return One(mailbox.DisplayName);
                case "UserPrincipalName":
                    return One(mailbox.UserPrincipalName);
                case "EmailAddresses":
                    // Proxy addresses carry their prefix (SMTP:/smtp:); a filter may name them with or without it.
                    return mailbox.ProxyAddresses.SelectMany(p => new[] { p, StripPrefix(p) })
                        .Concat(new[] { "SMTP:" + mailbox.PrimarySmtpAddress, mailbox.PrimarySmtpAddress });
                case "ExternalDirectoryObjectId":
                    return One(mailbox.ExternalDirectoryObjectId == Guid.Empty ? "" : mailbox.ExternalDirectoryObjectId.ToString());
                default:
                    return One(mailbox.ExchangeGuid.ToString());
            }
        }

        private static IEnumerable<string> One(string value) => string.IsNullOrEmpty(value) ? Array.Empty<string>() : new[] { value };
    }

    /// <summary>Whether a group member entry (address, alias, name, UPN or id) names this mailbox.</summary>
    public static bool IsSameRecipient(string member, Mailbox mailbox)
    {
        var candidates = new[]
        {
            mailbox.PrimarySmtpAddress, mailbox.UserPrincipalName, mailbox.Alias, NameOf(mailbox), mailbox.DisplayName,
            mailbox.ExchangeGuid.ToString(), mailbox.ExternalDirectoryObjectId.ToString(),
        };
        return candidates.Any(c => !string.IsNullOrEmpty(c) && string.Equals(c, member, StringComparison.OrdinalIgnoreCase))
            || mailbox.ProxyAddresses.Any(p => string.Equals(StripPrefix(p), StripPrefix(member), StringComparison.OrdinalIgnoreCase));
    }

    private static string StripPrefix(string address)
    {
        var colon = address.IndexOf(':');
        return colon > 0 && colon <= 4 ? address.Substring(colon + 1) : address;
    }

    private static bool Like(string candidate, string pattern)
    {
        // OPATH -like supports '*' wildcards.
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(candidate, regex, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    }
}
