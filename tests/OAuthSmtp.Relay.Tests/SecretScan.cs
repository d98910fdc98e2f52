using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace OAuthSmtp.Relay.Tests;

/// <summary>
/// Every file the relay wrote (spool with its envelopes and reasons, logs, status) searched for secrets: device
/// passwords in clear and as the base64 AUTH PLAIN/LOGIN forms carry them, the client secret, and every token the
/// emulator issued (and their XOAUTH2 base64). The profile store is the admin's, not the relay's, and is skipped.
/// </summary>
public static class SecretScan
{
    public static void AssertNoSecretsWritten(RelayHarness relay, IEnumerable<string> tokens, params string[] passwords)
    {
        var needles = new List<string> { relay.Tenant.ClientSecret! };
        foreach (var password in passwords)
        {
            needles.Add(password);
            needles.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)));
            foreach (var user in new[] { "scanner", "printer", "mfp" })
            {
                needles.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password)));
            }
        }

        foreach (var token in tokens)
        {
            needles.Add(token);
            foreach (var (_, mailbox) in relay.Mailboxes)
            {
                needles.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"user={mailbox}\u0001auth=Bearer {token}\u0001\u0001")));
            }
        }

        var files = Directory.EnumerateFiles(relay.Home, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(relay.ProfileStorePath + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = Encoding.UTF8.GetString(File.ReadAllBytes(file));
            foreach (var needle in needles.Where(n => n.Length >= 8))
            {
                Assert.False(text.Contains(needle, StringComparison.Ordinal), $"{file} contains a secret ({needle[..4]}…).");
            }
        }
    }
}
