using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MimeKit;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Properties;

/// <summary>
/// Generated hostile input for everything a user or a file hands the engine: addresses, display names, subjects and
/// headers with CR/LF and non-ASCII text, attachment names, profile files, token strings. Each case ends in correct
/// output or an <see cref="OAuthSmtpException"/> (which the cmdlets turn into an error record); any other exception
/// is an unhandled one and fails the property.
/// </summary>
public sealed class HostileInputProperties : IDisposable
{
    private const int Cases = 300;
    private readonly string _folder = Directory.CreateTempSubdirectory("oauthsmtp-properties-").FullName;

    public void Dispose()
    {
        PropertyCounter.Flush();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Property(MaxTest = Cases)]
    public Property Any_addresses_and_names_build_a_message_or_a_clear_error() =>
        Prop.ForAll(
            Arb.From(Gen.Zip(HostileInputGenerators.Address.ArrayOf(), HostileInputGenerators.Address)),
            input =>
            {
                var (to, from) = input;
                return Outcome(() => MessageBuilder.Build(new MessageRequest { To = to.ToList(), From = from, Subject = "s" }, "alerts@contoso.com"), built =>
                    built.RecipientAddresses.Count > 0 && built.RecipientAddresses.All(a => a.Contains('@')));
            });

    [Property(MaxTest = Cases)]
    public Property Subjects_and_headers_never_inject_a_header() =>
        Prop.ForAll(
            Arb.From(Gen.Zip(Gen.Zip(HostileInputGenerators.Text, HostileInputGenerators.Text), HostileInputGenerators.CleanText).Select(t => (t.Item1.Item1, t.Item1.Item2, t.Item2))),
            input =>
            {
                var (subject, headerValue, headerName) = input;
                var name = "X-" + new string(headerName.Where(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z').ToArray()) + "Test";
                var request = new MessageRequest { To = { "jane@fabrikam.com" }, Subject = subject, Headers = { [name] = headerValue } };
                return Outcome(() => MessageBuilder.Build(request, "alerts@contoso.com"), built =>
                {
                    if (subject.IndexOfAny(new[] { '\r', '\n' }) >= 0 || headerValue.IndexOfAny(new[] { '\r', '\n' }) >= 0)
                    {
                        return false; // CR or LF must have been refused
                    }

                    var parsed = RoundTrip(built);
                    return parsed.Headers.Count(h => h.Id == HeaderId.Bcc) == 0
                        && parsed.Headers.Count(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)) == 1
                        && parsed.Headers.Count(h => h.Id == HeaderId.Subject) == (subject.Length == 0 ? parsed.Headers.Count(h => h.Id == HeaderId.Subject) : 1);
                });
            });

    [Property(MaxTest = Cases)]
    public Property Non_ascii_subjects_and_display_names_survive_encoding() =>
        Prop.ForAll(
            Arb.From(Gen.Zip(HostileInputGenerators.CleanText, HostileInputGenerators.CleanText)),
            input =>
            {
                // Literal "=?" text is left out: MimeKit reads it back as an encoded word (a known MIME ambiguity).
                var (subject, display) = (input.Item1.Replace("=?", "= ?"), input.Item2);
                var quoted = "\"" + display.Replace("\\", string.Empty).Replace("\"", string.Empty) + "\" <jane@fabrikam.com>";
                var request = new MessageRequest { To = { quoted }, Subject = subject };
                return Outcome(() => MessageBuilder.Build(request, "alerts@contoso.com"), built =>
                {
                    var parsed = RoundTrip(built);
                    var headerBytes = HeaderSection(built);
                    return Collapse(parsed.Subject) == Collapse(subject)
                        && parsed.To.Mailboxes.Single().Address == "jane@fabrikam.com"
                        && (built.NeedsSmtpUtf8 || headerBytes.All(b => b < 0x80));
                });
            });

    [Property(MaxTest = 100)]
    public Property Attachment_names_keep_their_name_or_give_a_clear_error() =>
        Prop.ForAll(
            Arb.From(HostileInputGenerators.Text),
            name =>
            {
                // Literal "=?" is left out as in the subject property: MimeKit reads it back as an encoded word.
                var safe = new string(name.Where(c => c != '/' && !char.IsControl(c) && !char.IsSurrogate(c)).ToArray()).Replace("=?", "= ?").Trim();
                if (safe.Length == 0 || safe is "." or ".." || Encoding.UTF8.GetByteCount(safe) > 200)
                {
                    safe = "plain.txt";
                }

                var folder = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(folder);
                var path = Path.Combine(folder, safe);
                File.WriteAllText(path, "attachment");
                var request = new MessageRequest { To = { "jane@fabrikam.com" }, Subject = "a", Attachments = { path } };
                return Outcome(() => MessageBuilder.Build(request, "alerts@contoso.com"), built =>
                {
                    var parsed = RoundTrip(built);
                    var attachment = parsed.Attachments.OfType<MimePart>().Single();
                    return attachment.FileName == safe;
                });
            });

    [Property(MaxTest = Cases)]
    public Property Any_token_string_decodes_or_is_reported_malformed() =>
        Prop.ForAll(
            Arb.From(Gen.OneOf(HostileInputGenerators.Text, JwtShaped())),
            token => Outcome(() => JwtClaimsDecoder.Decode(token), _ => true, ErrorIds.TokenMalformed));

    [Property(MaxTest = 150)]
    public Property Damaged_profile_files_are_refused_clearly_and_never_overwritten() =>
        Prop.ForAll(
            Arb.From(ProfileFile()),
            bytes =>
            {
                var folder = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(folder);
                var path = Path.Combine(folder, ProfileStore.FileName);
                File.WriteAllBytes(path, bytes);
                var store = new ProfileStore(folder) { LockTimeout = TimeSpan.FromSeconds(2) };
                var read = Outcome(() => store.FindProfiles(), _ => true);
                var profile = new SmtpOAuthProfile
                {
                    Name = "New",
                    TenantId = "contoso.onmicrosoft.com",
                    ClientId = Guid.NewGuid(),
                    CredentialKind = CredentialKind.SystemManagedIdentity,
                    Mailbox = "alerts@contoso.com",
                };
                var saved = false;
                var write = Outcome(() => { store.SaveProfile(profile, null, overwrite: false); saved = true; return true; }, _ => true);

                // A file the store could not read must be exactly as it was; one it could read may have gained the profile.
                var unchanged = File.ReadAllBytes(path).SequenceEqual(bytes);
                return read && write && (saved || unchanged);
            });

    [Property(MaxTest = 100)]
    public Property Any_eml_file_becomes_a_message_or_a_clear_error() =>
        Prop.ForAll(
            Arb.From(Gen.OneOf(HostileInputGenerators.Bytes, HostileInputGenerators.Text.Select(t => Encoding.UTF8.GetBytes("To: " + t + "\r\nSubject: x\r\n\r\nbody")))),
            bytes =>
            {
                var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".eml");
                File.WriteAllBytes(path, bytes);
                return Outcome(() => MessageSource.FromFile(path), built => built.RecipientAddresses.Count > 0);
            });

    /// <summary>Correct output passes <paramref name="check"/>; an OAuthSmtpException (of <paramref name="onlyId"/> when given) is a clear error; anything else is unhandled.</summary>
    private static bool Outcome<T>(Func<T> action, Func<T, bool> check, string? onlyId = null)
    {
        PropertyCounter.Case();
        try
        {
            return check(action());
        }
        catch (OAuthSmtpException exception)
        {
            return (onlyId is null || exception.ErrorId == onlyId) && !string.IsNullOrWhiteSpace(exception.Message) && !string.IsNullOrWhiteSpace(exception.Fix);
        }
        catch (Exception exception)
        {
            PropertyCounter.Unhandled();
            throw new Xunit.Sdk.XunitException($"Unhandled {exception.GetType().FullName}: {exception.Message}");
        }
    }

    private static Gen<string> JwtShaped() =>
        Gen.Zip(Gen.Zip(HostileInputGenerators.Bytes, HostileInputGenerators.Text), Gen.Elements("{\"exp\":1e400}", "{\"aud\":[1,2]}", "[]", "{\"exp\":\"soon\",\"roles\":{}}", "null", "{\"scp\":5}", "{"))
            .Select(t => $"{Base64Url(Encoding.UTF8.GetBytes("{\"alg\":\"RS256\"}"))}.{Base64Url(t.Item1.Item1.Length % 2 == 0 ? Encoding.UTF8.GetBytes(t.Item2) : t.Item1.Item1)}.{t.Item1.Item2}");

    private static Gen<byte[]> ProfileFile()
    {
        var valid = Encoding.UTF8.GetBytes("""{"schemaVersion":1,"profiles":[{"name":"Emu","tenantId":"contoso.onmicrosoft.com","clientId":"9f1b2d3c-1111-4a5b-8c7d-0123456789ab","credentialKind":"ClientSecret","mailbox":"alerts@contoso.com","cloud":"Global","smtpServer":"smtp.office365.com","port":587,"tokenGraceSeconds":30,"secretProtection":"None"}]}""");
        return Gen.OneOf(
            Gen.Choose(0, valid.Length - 1).Select(n => valid.Take(n).ToArray()),
            Gen.Elements(0, 2, 99, -1).Select(v => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace("\"schemaVersion\":1", "\"schemaVersion\":" + v))),
            Gen.Elements("null", "[]", "{}", "{\"profiles\":null}", "{\"schemaVersion\":1,\"profiles\":[null]}", "{\"schemaVersion\":1,\"profiles\":[{\"name\":5}]}", "{\"schemaVersion\":\"1\"}").Select(Encoding.UTF8.GetBytes),
            HostileInputGenerators.Bytes);
    }

    private static MimeMessage RoundTrip(PreparedMessage message)
    {
        using var stream = new MemoryStream();
        message.Mime.WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }

    private static byte[] HeaderSection(PreparedMessage message)
    {
        using var stream = new MemoryStream();
        message.Mime.Headers.WriteTo(stream);
        return stream.ToArray();
    }

    private static string Collapse(string? text) => string.Join(" ", (text ?? string.Empty).Split(new[] { ' ', '\t', '\u00A0' }, StringSplitOptions.RemoveEmptyEntries));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
