namespace Iot.Edge.Tests;

/// <summary>Waits for something the system under test does on its own time, with a deadline that names what was awaited.</summary>
internal static class Eventually
{
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
