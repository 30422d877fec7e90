namespace Iot.Testing;

/// <summary>Waits for something the system under test does on its own time, with a deadline that names what was awaited.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="done"/> every 50 ms until true, or throws after <paramref name="deadline"/> saying <paramref name="what"/>.</summary>
    public static async Task TrueAsync(Func<bool> done, TimeSpan deadline, Func<string> what)
    {
        var until = DateTime.UtcNow + deadline;
        while (!done())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"waited {deadline.TotalSeconds} s for {what()}");
            }

            await Task.Delay(50);
        }
    }
}
