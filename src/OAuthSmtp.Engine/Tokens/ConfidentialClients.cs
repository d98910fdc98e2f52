using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Identity.Client;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// One MSAL confidential client application per profile and credential for the session, as MSAL is meant to be
/// used: built once, with its certificate loaded once (a .pfx is not re-read per token) and disposed when the
/// profile is forgotten or its credential changes. A changed credential (another secret, certificate or file)
/// has another key, so it gets a new application.
/// </summary>
internal sealed class ConfidentialClients
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The application for <paramref name="key"/>, built with <paramref name="build"/> the first time.</summary>
    public Entry GetOrAdd(string key, Func<Entry> build)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                return entry;
            }

            entry = build();
            _entries[key] = entry;
            return entry;
        }
    }

    /// <summary>Forgets (and disposes the certificates of) every application whose key matches.</summary>
    public void Remove(Func<string, bool> match)
    {
        var doomed = new List<Entry>();
        lock (_gate)
        {
            foreach (var key in new List<string>(_entries.Keys))
            {
                if (match(key))
                {
                    doomed.Add(_entries[key]);
                    _entries.Remove(key);
                }
            }
        }

        foreach (var entry in doomed)
        {
            entry.Dispose();
        }
    }

    /// <summary>An application, the certificate it signs with (if this module loaded it) and how it proves itself, for the verbose line.</summary>
    internal sealed class Entry : IDisposable
    {
        public Entry(IConfidentialClientApplication application, X509Certificate2? certificate, bool ownsCertificate, string description)
        {
            Application = application;
            Certificate = certificate;
            OwnsCertificate = ownsCertificate;
            Description = description;
        }

        public IConfidentialClientApplication Application { get; }

        /// <summary>The signing certificate (checked for expiry before each request); null for a client secret.</summary>
        public X509Certificate2? Certificate { get; }

        /// <summary>Loaded from a file or store by us (disposed with the entry), not a -Certificate object the caller owns.</summary>
        private bool OwnsCertificate { get; }

        public string Description { get; }

        public void Dispose()
        {
            if (OwnsCertificate)
            {
                Certificate?.Dispose();
            }
        }
    }
}
