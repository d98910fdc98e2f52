using System;
using System.Collections.Generic;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// Applies fixes through the admin's Exchange session, each only after <c>shouldProcess</c> agrees (the cmdlet's
/// ShouldProcess: -WhatIf and -Confirm). A failed fix does not stop the others; each outcome is reported.
/// </summary>
public static class SetupFixRunner
{
    public static IReadOnlyList<SetupFixOutcome> Apply(IReadOnlyList<SetupFixAction> actions, IExchangeAdmin exchange, Func<SetupFixAction, bool> shouldProcess)
    {
        if (actions is null)
        {
            throw new ArgumentNullException(nameof(actions));
        }

        if (exchange is null)
        {
            throw new ArgumentNullException(nameof(exchange));
        }

        var outcomes = new List<SetupFixOutcome>();
        var failedRemovals = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var action in actions)
        {
            if (!shouldProcess(action))
            {
                outcomes.Add(new SetupFixOutcome(action, false, null));
                continue;
            }

            try
            {
                action.Apply(exchange);
                outcomes.Add(new SetupFixOutcome(action, true, null));
            }
            catch (OAuthSmtpException failed)
            {
                outcomes.Add(new SetupFixOutcome(action, false, new OAuthSmtpException(
                    ErrorIds.SetupFixFailed,
                    failed.Kind,
                    $"The fix '{action.CommandText}' failed: {failed.Message}",
                    $"Run the command yourself to see Exchange's full answer; {failed.Fix}",
                    action.Target,
                    failed)));
            }
        }

        return outcomes;
    }
}
