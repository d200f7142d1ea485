/* bench-media.c: what each call's audio costs, with 1, 10 and 50 at once
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each simulated call is one OhMediaPipeline as the daemon runs it (slin16,
 * echo cancellation and noise suppression on): a live 1000 Hz audiotestsrc
 * as the microphone, captured frames handed to the main loop; and a 640-byte
 * frame pushed every 20 ms into playback, played by a syncing fakesink as
 * the speaker. Prints a Markdown table: CPU of one core per active call
 * (getrusage over the steady part of the run) and the latency added between
 * oh_media_pipeline_push_frame() and the sink.
 *
 *   bench-media [--seconds 10] [--calls 1,10,50] [--no-dsp] [--verbose]
 */
#include <math.h>
#include <sys/resource.h>

#include "oh-media-pipeline.h"

#define WARMUP_SECONDS 1

static gboolean verbose;

typedef struct {
  OhMediaPipeline *pipeline;
  guint64 frames_out;
  guint64 bad_frames;
  guint64 frames_pushed;
} Call;

typedef struct {
  Call *calls;
  guint n_calls;
  GBytes *frame;
  gint64 start_us;
} Run;

static void
on_frame (const guint8 *data,
          gsize         len,
          gpointer      user_data)
{
  Call *call = user_data;

  call->frames_out++;
  if (len != 640)
    call->bad_frames++;
}

/* Every call gets its frames in real time, like the PBX sends them. */
static gboolean
on_pace (gpointer user_data)
{
  Run *run = user_data;
  guint64 due = (guint64) ((g_get_monotonic_time () - run->start_us) / 20000) + 1;

  for (guint i = 0; i < run->n_calls; i++)
    while (run->calls[i].frames_pushed < due)
      {
        oh_media_pipeline_push_frame (run->calls[i].pipeline, run->frame);
        run->calls[i].frames_pushed++;
      }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_main_loop_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static GBytes *
make_tone_frame (void)
{
  guint8 *data = g_malloc (640);

  /* 500 Hz: ten whole cycles per 20 ms frame, so repeating it is seamless. */
  for (guint i = 0; i < 320; i++)
    {
      gint16 value = (gint16) (8000 * sin (2 * G_PI * 500 * i / 16000.0));

      data[2 * i] = (guint8) (value & 0xff);
      data[2 * i + 1] = (guint8) ((value >> 8) & 0xff);
    }
  return g_bytes_new_take (data, 640);
}

static gboolean
bench (guint                 n_calls,
       guint                 seconds,
       OhMediaPipelineFlags  flags,
       GString              *table)
{
  g_autoptr(GBytes) frame = make_tone_frame ();
  g_autofree Call *calls = g_new0 (Call, n_calls);
  g_autofree double *p50s = g_new0 (double, n_calls);
  g_autofree double *p99s = g_new0 (double, n_calls);
  Run run = { calls, n_calls, frame, 0 };
  OhMediaFormat format;
  g_autoptr(GError) error = NULL;
  double cpu_start, cpu_end, wall, max_p99 = 0, max_latency = 0;
  gint64 wall_start;
  guint64 frames_out = 0, bad_frames = 0, dropped = 0, pushed = 0, failed = 0;
  guint pacer_id;

  if (!oh_media_format_init (&format, "slin16", 640, 20, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }

  for (guint i = 0; i < n_calls; i++)
    {
      calls[i].pipeline = oh_media_pipeline_new_full (&format,
                                                      "audiotestsrc is-live=true freq=1000 "
                                                      "wave=sine",
                                                      "fakesink sync=true", flags, &error);
      if (calls[i].pipeline == NULL)
        {
          g_printerr ("%s\n", error->message);
          return FALSE;
        }
      oh_media_pipeline_set_frame_func (calls[i].pipeline, on_frame, &calls[i], NULL);
    }

  run.start_us = g_get_monotonic_time ();
  pacer_id = g_timeout_add (5, on_pace, &run);
  run_main_loop_for (WARMUP_SECONDS * 1000);

  cpu_start = cpu_seconds ();
  wall_start = g_get_monotonic_time ();
  run_main_loop_for (seconds * 1000);
  cpu_end = cpu_seconds ();
  wall = (g_get_monotonic_time () - wall_start) / 1e6;
  g_source_remove (pacer_id);

  for (guint i = 0; i < n_calls; i++)
    {
      OhMediaStats stats;

      oh_media_pipeline_get_stats (calls[i].pipeline, &stats);
      p50s[i] = stats.latency_p50_ms;
      if (verbose)
        g_printerr ("  call %u: latency p50 %.1f p99 %.1f max %.1f ms; in %" G_GUINT64_FORMAT
                    ", played %" G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT
                    "; out %" G_GUINT64_FORMAT "\n",
                    i, stats.latency_p50_ms, stats.latency_p99_ms, stats.latency_max_ms,
                    stats.frames_in, stats.frames_played, stats.frames_dropped, stats.frames_out);
      p99s[i] = stats.latency_p99_ms;
      max_p99 = MAX (max_p99, stats.latency_p99_ms);
      max_latency = MAX (max_latency, stats.latency_max_ms);
      frames_out += calls[i].frames_out;
      bad_frames += calls[i].bad_frames;
      dropped += stats.frames_dropped;
      pushed += calls[i].frames_pushed;
      if (oh_media_pipeline_get_audio_state (calls[i].pipeline) != OH_MEDIA_AUDIO_STATE_FLOWING)
        failed++;
      g_clear_object (&calls[i].pipeline);
    }
  qsort (p50s, n_calls, sizeof *p50s, compare_doubles);
  qsort (p99s, n_calls, sizeof *p99s, compare_doubles);

  g_string_append_printf (table,
                          "| %u | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %" G_GUINT64_FORMAT
                          " | %" G_GUINT64_FORMAT " |\n",
                          n_calls, 100 * (cpu_end - cpu_start) / wall,
                          100 * (cpu_end - cpu_start) / wall / n_calls, p50s[n_calls / 2],
                          p99s[n_calls / 2], max_p99, max_latency,
                          (double) frames_out / n_calls / (wall + WARMUP_SECONDS),
                          pushed ? 100.0 * dropped / pushed : 0, bad_frames, failed);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint seconds = 10;
  g_autofree char *calls_arg = NULL;
  gboolean no_dsp = FALSE;
  g_auto(GStrv) counts = NULL;
  g_autoptr(GString) table = g_string_new (NULL);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cpu = NULL;
  GOptionEntry entries[] = {
    { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Measured seconds per run", "N" },
    { "calls", 'c', 0, G_OPTION_ARG_STRING, &calls_arg, "Simultaneous calls per run",
      "1,10,50" },
    { "no-dsp", 0, 0, G_OPTION_ARG_NONE, &no_dsp, "No echo cancellation", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print each call's figures", NULL },
    { NULL }
  };

  context = g_option_context_new ("- benchmark the call audio pipeline");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  counts = g_strsplit (calls_arg ? calls_arg : "1,10,50", ",", -1);

  {
    g_autofree char *cpuinfo = NULL;

    if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
      {
        const char *line = strstr (cpuinfo, "model name");
        const char *colon = line ? strchr (line, ':') : NULL;

        if (colon != NULL)
          cpu = g_strndup (colon + 2, strcspn (colon + 2, "\n"));
      }
  }

  g_print ("Call audio: slin16 20 ms frames, %s, %u s measured after %u s warm-up; %s, %u "
           "cores; %s.\n\n",
           no_dsp ? "no DSP" : "echo cancellation + noise suppression", seconds,
           WARMUP_SECONDS, cpu ? cpu : "unknown CPU", g_get_num_processors (),
           gst_version_string ());
  g_string_append (table, "| calls | CPU % of one core | CPU % per call | latency p50 (ms) | "
                          "p99, median call (ms) | p99, worst call (ms) | max (ms) | "
                          "frames out /s per call | incoming dropped % | bad frames | "
                          "calls not flowing |\n");
  g_string_append (table, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                          "| ---: |\n");

  for (guint i = 0; counts[i] != NULL; i++)
    {
      guint n = (guint) g_ascii_strtoull (counts[i], NULL, 10);

      if (n == 0)
        continue;
      g_printerr ("%u calls...\n", n);
      if (!bench (n, seconds, no_dsp ? OH_MEDIA_PIPELINE_FLAGS_NO_DSP : 0, table))
        return 1;
    }

  g_print ("%s", table->str);
  return 0;
}
