using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Microsoft.Identity.Client;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// One MSAL application per profile and credential for the session, as MSAL is meant to be used: built once, so
/// its token cache serves the tokens (MSAL's cache is the module's only token cache), with its certificate loaded
/// once (a .pfx is not re-read per token) and disposed when the profile is forgotten. A changed credential (another
/// secret, certificate or file) has another key, so it gets a new application with an empty cache.
/// </summary>
internal sealed class MsalApplications
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The application for <paramref name="key"/>, built with <paramref name="build"/> the first time.</summary>
    public async Task<Entry> GetOrAddAsync(string key, Func<Task<Entry>> build)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                return existing;
            }
        }

        var built = await build().ConfigureAwait(false);
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var winner))
            {
                _entries[key] = built;
                return built;
            }

            // Another caller built the same application meanwhile (another scope of the same profile): keep theirs.
            built.Dispose();
            return winner;
        }
    }

    /// <summary>Forgets (and disposes the certificates of) every application whose key matches: their cached tokens go with them.</summary>
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
        private volatile bool _served;

        private Entry(string description)
        {
            Description = description;
        }

        /// <summary>Secret and certificate profiles (AcquireTokenForClient, app token cache in memory).</summary>
        public IConfidentialClientApplication? Confidential { get; private set; }

        /// <summary>Managed identities (AcquireTokenForManagedIdentity).</summary>
        public IManagedIdentityApplication? ManagedIdentity { get; private set; }

        /// <summary>Device code and browser sign-ins (AcquireTokenSilent over the persisted sign-in).</summary>
        public IPublicClientApplication? Public { get; private set; }

        /// <summary>The signing certificate (checked for expiry before each request); null for a client secret.</summary>
        public X509Certificate2? Certificate { get; private set; }

        /// <summary>Loaded from a file or store by us (disposed with the entry), not a -Certificate object the caller owns.</summary>
        private bool OwnsCertificate { get; set; }

        public string Description { get; }

        public static Entry ForClient(IConfidentialClientApplication application, X509Certificate2? certificate, bool ownsCertificate, string description) =>
            new(description) { Confidential = application, Certificate = certificate, OwnsCertificate = ownsCertificate };

        public static Entry ForManagedIdentity(IManagedIdentityApplication application, string description) =>
            new(description) { ManagedIdentity = application };

        public static Entry ForSignIn(IPublicClientApplication application, string description) =>
            new(description) { Public = application };

        /// <summary>
        /// False until this application has given a token. MSAL keeps managed-identity tokens in one cache shared by
        /// every application of the process, which forgetting a profile cannot empty: until a new application has
        /// given its first token it asks the endpoint, so a forgotten profile's next token is a new one, as for other kinds.
        /// </summary>
        public bool HasServed => _served;

        public void MarkServed() => _served = true;

        public void Dispose()
        {
            if (OwnsCertificate)
            {
                Certificate?.Dispose();
            }
        }
    }
}
