using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Emulator.Model;

/// <summary>
/// Propagation delays per kind of change. <see cref="Realistic"/> is what an emulator gets unless told otherwise, so
/// a client that does not wait (-Wait) meets the delay it would meet in a real tenant; test fixtures shorten them
/// explicitly (<see cref="Quick"/>; <see cref="None"/> only where a test says why; or Set-EmuPropagationDelay). Only the managed-identity figure is documented; the
/// others are practitioner figures (EXCHANGE-FACTS §8, [UNCONFIRMED]).
/// </summary>
public static class PropagationDefaults
{
    /// <summary>Typical delays of a real tenant.</summary>
    public static IReadOnlyDictionary<ChangeKind, TimeSpan> Realistic { get; } = new Dictionary<ChangeKind, TimeSpan>
    {
        // "New-ServicePrincipal: minutes."
        [ChangeKind.ServicePrincipal] = TimeSpan.FromMinutes(5),
        // FullAccess or SendAs: "usually 15-60 min", "typically 15-30 minutes".
        [ChangeKind.MailboxPermission] = TimeSpan.FromMinutes(30),
        [ChangeKind.RecipientPermission] = TimeSpan.FromMinutes(30),
        // Set-CASMailbox / Set-TransportConfig: "up to 1 hour".
        [ChangeKind.CasMailbox] = TimeSpan.FromMinutes(60),
        [ChangeKind.TransportConfig] = TimeSpan.FromMinutes(60),
        // RBAC for Applications: public projects report about 2 hours.
        [ChangeKind.RoleAssignment] = TimeSpan.FromHours(2),
        // Admin consent: effective on the next token request.
        [ChangeKind.Consent] = TimeSpan.Zero,
        // A new mailbox or licence: up to 24 h; an hour is typical.
        [ChangeKind.Mailbox] = TimeSpan.FromHours(1),
        // Managed identities: tokens cached per resource "for around 24 hours" [DOC: MI-DOCS managed-identities-faq].
        [ChangeKind.ManagedIdentityRoles] = TimeSpan.FromHours(24),
        // A new app, enterprise app or secret: practitioners report AADSTS700016 / 7000215 for "a minute or two" after
        // creation (setting, unconfirmed figure; the codes are the documented ones).
        [ChangeKind.DirectoryReplication] = TimeSpan.FromMinutes(2),
    };

    /// <summary>How long each kind takes in <see cref="Quick"/>: long enough that a client which does not wait meets the delay, short enough for a test run.</summary>
    public static readonly TimeSpan QuickDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// What test fixtures choose: every kind that takes time in a real tenant (<see cref="Realistic"/>) takes
    /// <see cref="QuickDelay"/>, so a test that changes the tenant and then relies on it goes through -Wait (or the
    /// product's own pending handling) as it would against a real tenant, only faster.
    /// </summary>
    public static IReadOnlyDictionary<ChangeKind, TimeSpan> Quick { get; } = Realistic.ToDictionary(p => p.Key, p => p.Value > TimeSpan.Zero ? QuickDelay : TimeSpan.Zero);

    /// <summary>Every change takes effect at once: only for a fixture or test that says why the wait is not part of it.</summary>
    public static IReadOnlyDictionary<ChangeKind, TimeSpan> None { get; } = new Dictionary<ChangeKind, TimeSpan>();
}
