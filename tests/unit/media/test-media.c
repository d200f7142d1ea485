/* test-media.c: a call's audio pipeline, driven through its frame interface
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * No sound card: the "microphone" is audiotestsrc and the "speaker" an
 * appsink, whose audio is checked for the frequency that went in.
 */
#include <math.h>
#include <gst/app/app.h>
#include <gst/audio/audio.h>

#include "oh-media-pipeline.h"

#define SILENT_SOURCE "audiotestsrc is-live=true wave=silence"
#define TONE_SOURCE "audiotestsrc is-live=true freq=1000 wave=sine"
/* The speaker: whatever the pipeline plays, as 16 kHz mono, in real time. */
#define SPEAKER_SINK "audioconvert ! audioresample " \
  "! audio/x-raw,format=S16LE,rate=16000,channels=1 ! appsink name=speaker sync=true"
#define SPEAKER_RATE 16000

typedef struct {
  OhMediaPipeline *pipeline;
  OhMediaFormat format;

  /* Frames from the frame function (main context). */
  GByteArray *sent;
  guint sent_frames;
  guint bad_frames;

  /* What reached the speaker (streaming thread). */
  GMutex lock;
  GByteArray *played;
  guint played_buffers;

  /* The frame pacer. */
  guint pacer_id;
  double tone;
  double phase;
  gint64 pace_start;
  guint frames_pushed;
  guint burst;
} Fixture;

/* G.711 µ-law, as in the ITU reference. */
static guint8
ulaw_encode (gint16 pcm)
{
  int sign = (pcm >> 8) & 0x80, exponent = 7, mantissa, sample = pcm;

  if (sign)
    sample = -sample;
  sample = MIN (sample, 32635) + 0x84;
  for (int mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1)
    exponent--;
  mantissa = (sample >> (exponent + 3)) & 0x0f;
  return (guint8) ~(sign | (exponent << 4) | mantissa);
}

static gint16
ulaw_decode (guint8 code)
{
  int value;

  code = ~code;
  value = ((code & 0x0f) << 3) + 0x84;
  value <<= (code & 0x70) >> 4;
  return (gint16) ((code & 0x80) ? 0x84 - value : value - 0x84);
}

/* Frames as the PBX sends them: the format's size, a continuous tone. */
static GBytes *
make_tone_frame (Fixture *fixture)
{
  guint samples = fixture->format.frame_bytes / oh_media_format_get_sample_bytes (&fixture->format);
  guint8 *data = g_malloc (fixture->format.frame_bytes);

  for (guint i = 0; i < samples; i++)
    {
      gint16 value = (gint16) (8000 * sin (fixture->phase));

      fixture->phase += 2 * G_PI * fixture->tone / fixture->format.rate;
      if (fixture->format.encoding == OH_MEDIA_ENCODING_ULAW)
        data[i] = ulaw_encode (value);
      else
        {
          data[2 * i] = (guint8) (value & 0xff);
          data[2 * i + 1] = (guint8) ((value >> 8) & 0xff);
        }
    }
  return g_bytes_new_take (data, fixture->format.frame_bytes);
}

/* Decoded samples of @bytes in the fixture's wire format. */
static gint16 *
decode_frames (Fixture      *fixture,
               const guint8 *bytes,
               gsize         len,
               gsize        *n_samples)
{
  gint16 *samples;

  if (fixture->format.encoding == OH_MEDIA_ENCODING_ULAW)
    {
      samples = g_new (gint16, len);
      for (gsize i = 0; i < len; i++)
        samples[i] = ulaw_decode (bytes[i]);
      *n_samples = len;
    }
  else
    {
      samples = g_new (gint16, len / 2);
      for (gsize i = 0; i < len / 2; i++)
        samples[i] = (gint16) (bytes[2 * i] | (bytes[2 * i + 1] << 8));
      *n_samples = len / 2;
    }
  return samples;
}

/* Goertzel: the power of @samples at @frequency. */
static double
power_at (const gint16 *samples,
          gsize         n,
          guint         rate,
          double        frequency)
{
  double coefficient = 2 * cos (2 * G_PI * frequency / rate);
  double s1 = 0, s2 = 0;

  for (gsize i = 0; i < n; i++)
    {
      double s0 = samples[i] + coefficient * s1 - s2;

      s2 = s1;
      s1 = s0;
    }
  return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
}

/* The strongest frequency between 100 Hz and 3500 Hz: a coarse scan, then a
 * fine one around the peak. */
static double
peak_frequency (const gint16 *samples,
                gsize         n,
                guint         rate)
{
  double best = 0, best_power = -1;
  double coarse;

  for (double f = 100; f <= 3500; f += 10)
    {
      double power = power_at (samples, n, rate, f);

      if (power > best_power)
        {
          best_power = power;
          best = f;
        }
    }
  coarse = best;
  for (double f = coarse - 10; f <= coarse + 10; f += 0.25)
    {
      double power = power_at (samples, n, rate, f);

      if (power > best_power)
        {
          best_power = power;
          best = f;
        }
    }
  return best;
}

static double
rms (const gint16 *samples,
     gsize         n)
{
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += (double) samples[i] * samples[i];
  return n ? sqrt (sum / n) : 0;
}

static void
on_frame (const guint8 *data,
          gsize         len,
          gpointer      user_data)
{
  Fixture *fixture = user_data;

  if (len != fixture->format.frame_bytes)
    fixture->bad_frames++;
  fixture->sent_frames++;
  g_byte_array_append (fixture->sent, data, len);
}

static GstFlowReturn
on_speaker_sample (GstAppSink *appsink,
                   gpointer    user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (appsink);
  GstMapInfo map;

  if (sample != NULL && gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
    {
      g_mutex_lock (&fixture->lock);
      g_byte_array_append (fixture->played, map.data, map.size);
      fixture->played_buffers++;
      g_mutex_unlock (&fixture->lock);
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    }
  return GST_FLOW_OK;
}

static void
fixture_set_format (Fixture    *fixture,
                    const char *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (oh_media_format_init (&fixture->format, name, 0, 20, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->sent = g_byte_array_new ();
  fixture->played = g_byte_array_new ();
  g_mutex_init (&fixture->lock);
  fixture->tone = 440;
  fixture->burst = 1;
  fixture_set_format (fixture, "slin16");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_handle_id (&fixture->pacer_id, g_source_remove);
  g_clear_object (&fixture->pipeline);
  g_byte_array_unref (fixture->sent);
  g_byte_array_unref (fixture->played);
  g_mutex_clear (&fixture->lock);
}

/* Builds the pipeline and connects the speaker, if it is an appsink. */
static void
fixture_start (Fixture              *fixture,
               const char           *source_desc,
               const char           *sink_desc,
               OhMediaPipelineFlags  flags)
{
  g_autoptr(GError) error = NULL;
  GstElement *pipeline;
  g_autoptr(GstElement) speaker = NULL;

  fixture->pipeline = oh_media_pipeline_new_full (&fixture->format, source_desc, sink_desc,
                                                  flags, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->pipeline);
  oh_media_pipeline_set_frame_func (fixture->pipeline, on_frame, fixture, NULL);

  pipeline = oh_media_pipeline_get_pipeline (fixture->pipeline);
  if (pipeline != NULL)
    speaker = gst_bin_get_by_name (GST_BIN (pipeline), "speaker");
  if (speaker != NULL)
    {
      GstAppSinkCallbacks callbacks = { .new_sample = on_speaker_sample };

      gst_app_sink_set_callbacks (GST_APP_SINK (speaker), &callbacks, fixture, NULL);
    }
}

/* Pushes frames in real time (catching up on late ticks), @burst at a time. */
static gboolean
on_pace (gpointer user_data)
{
  Fixture *fixture = user_data;
  gint64 elapsed = g_get_monotonic_time () - fixture->pace_start;
  guint due = (guint) (elapsed / (fixture->format.ptime_ms * 1000)) + 1;

  while (fixture->frames_pushed < due * fixture->burst)
    {
      g_autoptr(GBytes) frame = make_tone_frame (fixture);

      oh_media_pipeline_push_frame (fixture->pipeline, frame);
      fixture->frames_pushed++;
    }
  return G_SOURCE_CONTINUE;
}

static void
start_pacer (Fixture *fixture,
             guint    burst)
{
  g_clear_handle_id (&fixture->pacer_id, g_source_remove);
  fixture->burst = burst;
  fixture->frames_pushed = 0;
  fixture->pace_start = g_get_monotonic_time ();
  fixture->pacer_id = g_timeout_add (5, on_pace, fixture);
}

static void
stop_pacer (Fixture *fixture)
{
  g_clear_handle_id (&fixture->pacer_id, g_source_remove);
}

typedef gboolean (*Condition) (Fixture *fixture, gconstpointer data);

static gboolean
on_wake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds, or @timeout_ms passed. */
static gboolean
run_until (Fixture       *fixture,
           Condition      condition,
           gconstpointer  data,
           guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint wake_id = g_timeout_add (10, on_wake, NULL);
  gboolean met;

  while (!(met = condition (fixture, data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
  return met;
}

static gboolean
never (Fixture       *fixture,
       gconstpointer  data)
{
  return FALSE;
}

/* Runs the main loop for @ms: for things that must *not* happen. */
static void
run_for (Fixture *fixture,
         guint    ms)
{
  run_until (fixture, never, NULL, ms);
}

static gboolean
sent_at_least (Fixture       *fixture,
               gconstpointer  data)
{
  return fixture->sent_frames >= GPOINTER_TO_UINT (data);
}

static guint
played_bytes (Fixture *fixture)
{
  guint len;

  g_mutex_lock (&fixture->lock);
  len = fixture->played->len;
  g_mutex_unlock (&fixture->lock);
  return len;
}

static gboolean
played_at_least (Fixture       *fixture,
                 gconstpointer  data)
{
  return played_bytes (fixture) >= GPOINTER_TO_UINT (data);
}

static gboolean
audio_state_is (Fixture       *fixture,
                gconstpointer  data)
{
  return (int) oh_media_pipeline_get_audio_state (fixture->pipeline) == GPOINTER_TO_INT (data);
}

static void
clear_recordings (Fixture *fixture)
{
  g_byte_array_set_size (fixture->sent, 0);
  fixture->sent_frames = 0;
  g_mutex_lock (&fixture->lock);
  g_byte_array_set_size (fixture->played, 0);
  fixture->played_buffers = 0;
  g_mutex_unlock (&fixture->lock);
}

/* The last @seconds of what reached the speaker. */
static gint16 *
played_tail (Fixture *fixture,
             double   seconds,
             gsize   *n_samples)
{
  gsize want = (gsize) (seconds * SPEAKER_RATE) * 2;
  gint16 *samples;

  g_mutex_lock (&fixture->lock);
  g_assert_cmpuint (fixture->played->len, >=, want);
  samples = g_memdup2 (fixture->played->data + fixture->played->len - want, want);
  g_mutex_unlock (&fixture->lock);
  *n_samples = want / 2;
  return samples;
}

/* The last @seconds of what was sent, decoded. */
static gint16 *
sent_tail (Fixture *fixture,
           double   seconds,
           gsize   *n_samples)
{
  gsize want = (gsize) (seconds * fixture->format.rate) *
               oh_media_format_get_sample_bytes (&fixture->format);

  g_assert_cmpuint (fixture->sent->len, >=, want);
  return decode_frames (fixture, fixture->sent->data + fixture->sent->len - want, want,
                        n_samples);
}

static gboolean
under_valgrind (void)
{
  return g_getenv ("OFFHOOK_VALGRIND") != NULL;
}

/* The PBX plays 440 Hz: 440 Hz comes out of the speaker. */
static void
test_playback_tone (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree gint16 *samples = NULL;
  gsize n;
  OhMediaStats stats;

  fixture_start (fixture, SILENT_SOURCE, SPEAKER_SINK, OH_MEDIA_PIPELINE_FLAGS_NONE);
  g_assert_cmpint (oh_media_pipeline_get_audio_state (fixture->pipeline), ==,
                   OH_MEDIA_AUDIO_STATE_CONNECTING);

  start_pacer (fixture, 1);
  g_assert_true (run_until (fixture, audio_state_is,
                            GINT_TO_POINTER (OH_MEDIA_AUDIO_STATE_FLOWING), 5000));
  g_assert_true (run_until (fixture, played_at_least, GUINT_TO_POINTER (2 * 32000), 20000));

  samples = played_tail (fixture, 1.0, &n);
  g_assert_cmpfloat_with_epsilon (peak_frequency (samples, n, SPEAKER_RATE), 440, 5);
  g_assert_cmpfloat (rms (samples, n), >, 1000);

  oh_media_pipeline_get_stats (fixture->pipeline, &stats);
  g_test_message ("pushed %u, played %" G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT
                  ", buffered %u ms, latency p50 %.1f p99 %.1f max %.1f ms",
                  fixture->frames_pushed, stats.frames_played, stats.frames_dropped,
                  stats.buffered_ms, stats.latency_p50_ms, stats.latency_p99_ms,
                  stats.latency_max_ms);
  g_assert_cmpuint (stats.frames_in, ==, fixture->frames_pushed);
  g_assert_cmpuint (stats.frames_played, >, 90);
  g_assert_cmpuint (stats.latency_samples, >, 90);
  g_assert_cmpfloat (stats.latency_p50_ms, >, 0);
  g_assert_cmpfloat (stats.latency_p50_ms, <=, stats.latency_p99_ms);
  g_assert_cmpfloat (stats.latency_p99_ms, <=, stats.latency_max_ms + 0.5);
  g_assert_cmpstr (oh_media_pipeline_get_last_error (fixture->pipeline), ==, NULL);
}

/* The microphone plays 1000 Hz: frames of exactly 640 bytes, in real time. */
static void
check_capture_tone (Fixture              *fixture,
                    OhMediaPipelineFlags  flags)
{
  g_autofree gint16 *samples = NULL;
  gsize n;
  gint64 start;
  double seconds;
  OhMediaStats stats;

  fixture_start (fixture, TONE_SOURCE, "fakesink", flags);
  g_assert_true (run_until (fixture, sent_at_least, GUINT_TO_POINTER (10), 10000));

  fixture->sent_frames = 0;
  start = g_get_monotonic_time ();
  g_assert_true (run_until (fixture, sent_at_least, GUINT_TO_POINTER (100), 20000));
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_cmpuint (fixture->bad_frames, ==, 0);
  g_assert_cmpuint (fixture->sent->len % fixture->format.frame_bytes, ==, 0);
  /* Paced by the live source, not faster (a loaded machine may be slower). */
  g_test_message ("%u frames in %.2f s", fixture->sent_frames, seconds);
  g_assert_cmpfloat (fixture->sent_frames / seconds, <, 60);
  if (!under_valgrind ())
    g_assert_cmpfloat (fixture->sent_frames / seconds, >, 40);

  samples = sent_tail (fixture, 1.0, &n);
  g_assert_cmpfloat_with_epsilon (peak_frequency (samples, n, fixture->format.rate), 1000, 5);
  g_assert_cmpfloat (rms (samples, n), >, 500);

  oh_media_pipeline_get_stats (fixture->pipeline, &stats);
  g_assert_cmpuint (stats.frames_out, ==, fixture->sent->len / fixture->format.frame_bytes);
  /* Nothing was pushed: the state waits for the PBX. */
  g_assert_cmpint (oh_media_pipeline_get_audio_state (fixture->pipeline), ==,
                   OH_MEDIA_AUDIO_STATE_CONNECTING);
}

static void
test_capture_tone (Fixture       *fixture,
                   gconstpointer  data)
{
  check_capture_tone (fixture, OH_MEDIA_PIPELINE_FLAGS_NONE);
}

static void
test_capture_tone_no_dsp (Fixture       *fixture,
                          gconstpointer  data)
{
  check_capture_tone (fixture, OH_MEDIA_PIPELINE_FLAGS_NO_DSP);
}

/* µ-law both ways: 160-byte frames, the same tones. */
static void
test_ulaw (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree gint16 *played = NULL;
  g_autofree gint16 *sent = NULL;
  gsize n;

  fixture_set_format (fixture, "ulaw");
  g_assert_cmpuint (fixture->format.frame_bytes, ==, 160);
  fixture_start (fixture, TONE_SOURCE, SPEAKER_SINK, OH_MEDIA_PIPELINE_FLAGS_NONE);

  start_pacer (fixture, 1);
  g_assert_true (run_until (fixture, played_at_least, GUINT_TO_POINTER (2 * 32000), 20000));
  g_assert_true (run_until (fixture, sent_at_least, GUINT_TO_POINTER (100), 20000));

  played = played_tail (fixture, 1.0, &n);
  g_assert_cmpfloat_with_epsilon (peak_frequency (played, n, SPEAKER_RATE), 440, 5);

  g_assert_cmpuint (fixture->bad_frames, ==, 0);
  sent = sent_tail (fixture, 1.0, &n);
  g_assert_cmpuint (n, ==, 8000);
  g_assert_cmpfloat_with_epsilon (peak_frequency (sent, n, 8000), 1000, 5);
}

/* Mute silences what is sent, at the same pace; the speaker still plays. */
static void
test_mute (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree gint16 *sent = NULL;
  g_autofree gint16 *played = NULL;
  gsize n;

  fixture_start (fixture, TONE_SOURCE, SPEAKER_SINK, OH_MEDIA_PIPELINE_FLAGS_NONE);
  start_pacer (fixture, 1);
  g_assert_true (run_until (fixture, sent_at_least, GUINT_TO_POINTER (25), 10000));

  oh_media_pipeline_set_muted (fixture->pipeline, TRUE);
  g_assert_true (oh_media_pipeline_get_muted (fixture->pipeline));
  clear_recordings (fixture);
  g_assert_true (run_until (fixture, sent_at_least, GUINT_TO_POINTER (50), 10000));
  g_assert_true (run_until (fixture, played_at_least, GUINT_TO_POINTER (32000), 10000));

  sent = sent_tail (fixture, 1.0, &n);
  g_assert_cmpfloat (rms (sent, n), ==, 0);
  g_assert_cmpuint (fixture->bad_frames, ==, 0);
  played = played_tail (fixture, 0.5, &n);
  g_assert_cmpfloat (rms (played, n), >, 1000);
  g_assert_cmpfloat_with_epsilon (peak_frequency (played, n, SPEAKER_RATE), 440, 5);

  oh_media_pipeline_set_muted (fixture->pipeline, FALSE);
  clear_recordings (fixture);
  g_assert_true (run_until (fixture, sent_at_least, GUINT_TO_POINTER (50), 10000));
  g_clear_pointer (&sent, g_free);
  sent = sent_tail (fixture, 0.5, &n);
  g_assert_cmpfloat (rms (sent, n), >, 500);
}

/* Hold stops both directions and closes the devices; unhold resumes both. */
static void
test_hold (Fixture       *fixture,
           gconstpointer  data)
{
  GstElement *pipeline;
  GstState state;
  OhMediaStats before, after;

  fixture_start (fixture, TONE_SOURCE, SPEAKER_SINK, OH_MEDIA_PIPELINE_FLAGS_NONE);
  pipeline = oh_media_pipeline_get_pipeline (fixture->pipeline);
  start_pacer (fixture, 1);
  g_assert_true (run_until (fixture, sent_at_least, GUINT_TO_POINTER (25), 10000));
  g_assert_true (run_until (fixture, played_at_least, GUINT_TO_POINTER (16000), 10000));

  oh_media_pipeline_set_held (fixture->pipeline, TRUE);
  g_assert_true (oh_media_pipeline_get_held (fixture->pipeline));
  g_assert_cmpint (oh_media_pipeline_get_audio_state (fixture->pipeline), ==,
                   OH_MEDIA_AUDIO_STATE_NONE);
  gst_element_get_state (pipeline, &state, NULL, 0);
  g_assert_cmpint (state, ==, GST_STATE_NULL);

  oh_media_pipeline_get_stats (fixture->pipeline, &before);
  clear_recordings (fixture);
  run_for (fixture, 500);
  oh_media_pipeline_get_stats (fixture->pipeline, &after);
  g_assert_cmpuint (fixture->sent_frames, ==, 0);
  g_assert_cmpuint (played_bytes (fixture), ==, 0);
  g_assert_cmpuint (after.frames_in, ==, before.frames_in);
  g_assert_cmpuint (after.frames_out, ==, before.frames_out);
  g_assert_cmpint (oh_media_pipeline_get_audio_state (fixture->pipeline), ==,
                   OH_MEDIA_AUDIO_STATE_NONE);

  oh_media_pipeline_set_held (fixture->pipeline, FALSE);
  g_assert_false (oh_media_pipeline_get_held (fixture->pipeline));
  g_assert_true (run_until (fixture, sent_at_least, GUINT_TO_POINTER (25), 10000));
  g_assert_true (run_until (fixture, played_at_least, GUINT_TO_POINTER (32000), 10000));
  g_assert_true (run_until (fixture, audio_state_is,
                            GINT_TO_POINTER (OH_MEDIA_AUDIO_STATE_FLOWING), 5000));
  {
    g_autofree gint16 *played = NULL;
    gsize n;

    played = played_tail (fixture, 0.5, &n);
    g_assert_cmpfloat_with_epsilon (peak_frequency (played, n, SPEAKER_RATE), 440, 5);
  }
}

/* XOFF stops sending without queueing; XON resumes. */
static void
test_flow_control (Fixture       *fixture,
                   gconstpointer  data)
{
  OhMediaStats before, after;

  fixture_start (fixture, TONE_SOURCE, "fakesink", OH_MEDIA_PIPELINE_FLAGS_NONE);
  g_assert_true (run_until (fixture, sent_at_least, GUINT_TO_POINTER (10), 10000));

  oh_media_pipeline_set_sending_paused (fixture->pipeline, TRUE);
  g_assert_true (oh_media_pipeline_get_sending_paused (fixture->pipeline));
  oh_media_pipeline_get_stats (fixture->pipeline, &before);
  clear_recordings (fixture);
  for (int i = 0; i < 10; i++)
    {
      OhMediaStats stats;

      run_for (fixture, 100);
      oh_media_pipeline_get_stats (fixture->pipeline, &stats);
      /* Captured audio does not pile up while paused. */
      g_assert_cmpuint (stats.pending_out_bytes, <, 4 * fixture->format.frame_bytes);
    }
  oh_media_pipeline_get_stats (fixture->pipeline, &after);
  g_assert_cmpuint (fixture->sent_frames, ==, 0);
  g_assert_cmpuint (after.frames_out, ==, before.frames_out);
  g_assert_cmpuint (after.frames_out_dropped, >, before.frames_out_dropped + 10);

  oh_media_pipeline_set_sending_paused (fixture->pipeline, FALSE);
  g_assert_true (run_until (fixture, sent_at_least, GUINT_TO_POINTER (25), 10000));
  g_assert_cmpuint (fixture->bad_frames, ==, 0);
}

/* Frames ten times faster than real time: the latency stays bounded by
 * dropping the oldest audio. */
static void
test_flood (Fixture       *fixture,
            gconstpointer  data)
{
  OhMediaStats stats;
  guint max_buffered = 0;

  /* Nine whole cycles per frame: dropping frames leaves a clean tone. */
  fixture->tone = 450;
  fixture_start (fixture, SILENT_SOURCE, SPEAKER_SINK, OH_MEDIA_PIPELINE_FLAGS_NONE);
  start_pacer (fixture, 10);
  for (int i = 0; i < 20; i++)
    {
      run_for (fixture, 100);
      oh_media_pipeline_get_stats (fixture->pipeline, &stats);
      max_buffered = MAX (max_buffered, stats.buffered_ms);
    }
  stop_pacer (fixture);

  oh_media_pipeline_get_stats (fixture->pipeline, &stats);
  g_test_message ("pushed %u, played %" G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT
                  ", buffered at most %u ms, latency p50 %.1f p99 %.1f max %.1f ms",
                  fixture->frames_pushed, stats.frames_played, stats.frames_dropped,
                  max_buffered, stats.latency_p50_ms, stats.latency_p99_ms,
                  stats.latency_max_ms);
  /* Two seconds of frames took 20 seconds of audio: most of it went. */
  g_assert_cmpuint (stats.frames_in, ==, fixture->frames_pushed);
  g_assert_cmpuint (stats.frames_dropped, >, fixture->frames_pushed / 2);
  g_assert_cmpuint (stats.frames_played + stats.frames_dropped, <=, stats.frames_in);
  /* Bounded: without the bound, 18 s would be waiting by now. */
  g_assert_cmpuint (max_buffered, <=, 250);
  g_assert_cmpfloat (stats.latency_p99_ms, <=, 250);

  {
    g_autofree gint16 *played = NULL;
    gsize n;

    played = played_tail (fixture, 0.5, &n);
    g_assert_cmpfloat_with_epsilon (peak_frequency (played, n, SPEAKER_RATE), 450, 5);
  }
}

/* No frame for a second: stalled; frames again: flowing. */
static void
test_stalled (Fixture       *fixture,
              gconstpointer  data)
{
  fixture_start (fixture, SILENT_SOURCE, "fakesink sync=true", OH_MEDIA_PIPELINE_FLAGS_NONE);
  start_pacer (fixture, 1);
  g_assert_true (run_until (fixture, audio_state_is,
                            GINT_TO_POINTER (OH_MEDIA_AUDIO_STATE_FLOWING), 5000));
  run_for (fixture, 200);
  stop_pacer (fixture);

  /* Not before a second has passed... */
  run_for (fixture, 500);
  g_assert_cmpint (oh_media_pipeline_get_audio_state (fixture->pipeline), ==,
                   OH_MEDIA_AUDIO_STATE_FLOWING);
  /* ...but soon after. */
  g_assert_true (run_until (fixture, audio_state_is,
                            GINT_TO_POINTER (OH_MEDIA_AUDIO_STATE_STALLED), 5000));

  start_pacer (fixture, 1);
  g_assert_true (run_until (fixture, audio_state_is,
                            GINT_TO_POINTER (OH_MEDIA_AUDIO_STATE_FLOWING), 5000));
}

typedef struct {
  const char *source;
  const char *sink;
  const char *message;
} FailureCase;

static const FailureCase failure_cases[] = {
  { SILENT_SOURCE, "no-such-audio-sink", "*audio output*no-such-audio-sink*" },
  { "no-such-audio-source", "fakesink", "*audio input*no-such-audio-source*" },
  { SILENT_SOURCE, "filesink location=/nonexistent/directory/speaker", "*audio output*" },
  { "filesrc location=/nonexistent/microphone", "fakesink", "*audio input*" },
  /* A source with nothing to link to. */
  { SILENT_SOURCE, "audiotestsrc", "*audio output*audiotestsrc*" },
};

/* A device that cannot be opened: failed, with a reason, and no crash. */
static void
test_device_failure (Fixture       *fixture,
                     gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (failure_cases); i++)
    {
      const FailureCase *failure = &failure_cases[i];
      g_autoptr(GBytes) frame = NULL;
      OhMediaStats stats;

      g_test_message ("source %s, sink %s", failure->source, failure->sink);
      g_test_expect_message ("offhook-media", G_LOG_LEVEL_WARNING, failure->message);
      fixture_start (fixture, failure->source, failure->sink, OH_MEDIA_PIPELINE_FLAGS_NONE);
      g_test_assert_expected_messages ();
      g_assert_cmpint (oh_media_pipeline_get_audio_state (fixture->pipeline), ==,
                       OH_MEDIA_AUDIO_STATE_FAILED);
      g_assert_true (g_pattern_match_simple (
        failure->message, oh_media_pipeline_get_last_error (fixture->pipeline)));

      /* Everything else is harmless on a failed pipeline. */
      frame = make_tone_frame (fixture);
      oh_media_pipeline_push_frame (fixture->pipeline, frame);
      oh_media_pipeline_set_muted (fixture->pipeline, TRUE);
      oh_media_pipeline_set_sending_paused (fixture->pipeline, TRUE);
      oh_media_pipeline_set_held (fixture->pipeline, TRUE);
      /* Unholding retries the devices, if there is a pipeline to retry. */
      if (oh_media_pipeline_get_pipeline (fixture->pipeline) != NULL)
        g_test_expect_message ("offhook-media", G_LOG_LEVEL_WARNING, failure->message);
      oh_media_pipeline_set_held (fixture->pipeline, FALSE);
      g_test_assert_expected_messages ();
      g_assert_cmpint (oh_media_pipeline_get_audio_state (fixture->pipeline), ==,
                       OH_MEDIA_AUDIO_STATE_FAILED);
      run_for (fixture, 50);
      oh_media_pipeline_get_stats (fixture->pipeline, &stats);
      g_assert_cmpuint (stats.frames_in, ==, 0);
      oh_media_pipeline_stop (fixture->pipeline);
      g_clear_object (&fixture->pipeline);
    }
}

/* A device that fails during the call: failed, from the bus. */
static void
test_device_failure_later (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *error = NULL;

  fixture_start (fixture, SILENT_SOURCE, "filesink location=/dev/full buffer-mode=unbuffered",
                 OH_MEDIA_PIPELINE_FLAGS_NONE);
  g_assert_cmpint (oh_media_pipeline_get_audio_state (fixture->pipeline), ==,
                   OH_MEDIA_AUDIO_STATE_CONNECTING);

  g_test_expect_message ("offhook-media", G_LOG_LEVEL_WARNING, "*audio output failed*");
  start_pacer (fixture, 1);
  g_assert_true (run_until (fixture, audio_state_is,
                            GINT_TO_POINTER (OH_MEDIA_AUDIO_STATE_FAILED), 10000));
  g_test_assert_expected_messages ();
  g_object_get (fixture->pipeline, "last-error", &error, NULL);
  g_assert_true (g_str_has_prefix (error, "The audio output failed: "));
  {
    g_autofree char *state = NULL;

    g_object_get (fixture->pipeline, "audio-state", &state, NULL);
    g_assert_cmpstr (state, ==, "failed");
  }

  /* More frames, a stall check: it stays failed. */
  run_for (fixture, 1200);
  g_assert_cmpint (oh_media_pipeline_get_audio_state (fixture->pipeline), ==,
                   OH_MEDIA_AUDIO_STATE_FAILED);
}

/* Bad frames are refused, good ones still play. */
static void
test_bad_frames (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) odd = g_bytes_new ("abc", 3);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) small = NULL;
  OhMediaStats stats;

  fixture_start (fixture, SILENT_SOURCE, SPEAKER_SINK, OH_MEDIA_PIPELINE_FLAGS_NONE);
  oh_media_pipeline_push_frame (fixture->pipeline, odd);
  oh_media_pipeline_push_frame (fixture->pipeline, empty);
  oh_media_pipeline_get_stats (fixture->pipeline, &stats);
  g_assert_cmpuint (stats.frames_in, ==, 0);
  g_assert_cmpint (oh_media_pipeline_get_audio_state (fixture->pipeline), ==,
                   OH_MEDIA_AUDIO_STATE_CONNECTING);

  /* Any whole number of samples is fine: Asterisk need not send 640. */
  small = g_bytes_new_take (g_malloc0 (100), 100);
  oh_media_pipeline_push_frame (fixture->pipeline, small);
  oh_media_pipeline_get_stats (fixture->pipeline, &stats);
  g_assert_cmpuint (stats.frames_in, ==, 1);
  g_assert_true (run_until (fixture, played_at_least, GUINT_TO_POINTER (100), 5000));
}

/* Frames are only delivered on the main context, and stop() is final. */
static void
test_stop (Fixture       *fixture,
           gconstpointer  data)
{
  OhMediaStats stats;
  guint sent;

  fixture_start (fixture, TONE_SOURCE, "fakesink", OH_MEDIA_PIPELINE_FLAGS_NONE);
  g_assert_true (run_until (fixture, sent_at_least, GUINT_TO_POINTER (5), 10000));
  oh_media_pipeline_stop (fixture->pipeline);
  g_assert_cmpint (oh_media_pipeline_get_audio_state (fixture->pipeline), ==,
                   OH_MEDIA_AUDIO_STATE_NONE);
  sent = fixture->sent_frames;
  start_pacer (fixture, 1);
  run_for (fixture, 300);
  g_assert_cmpuint (fixture->sent_frames, ==, sent);
  oh_media_pipeline_get_stats (fixture->pipeline, &stats);
  g_assert_cmpuint (stats.frames_in, ==, 0);

  /* Unhold after stop does not bring it back. */
  oh_media_pipeline_set_held (fixture->pipeline, TRUE);
  oh_media_pipeline_set_held (fixture->pipeline, FALSE);
  run_for (fixture, 200);
  g_assert_cmpuint (fixture->sent_frames, ==, sent);
  oh_media_pipeline_stop (fixture->pipeline);
}

static guint
count_dir_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
on_frame_ignore (const guint8 *data,
                 gsize         len,
                 gpointer      user_data)
{
  (*(guint *) user_data)++;
}

/* Many calls come and go: no file descriptor or thread stays behind. */
static void
test_no_leaks (Fixture       *fixture,
               gconstpointer  data)
{
  guint iterations = under_valgrind () ? 20 : 200;
  guint fds_before, fds_after, threads_before, threads_after;
  guint frames = 0;

  /* Warm up: plugins, the registry and GStreamer's thread pools. */
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(OhMediaPipeline) pipeline =
        oh_media_pipeline_new (&fixture->format, TONE_SOURCE, "fakesink sync=true", NULL);

      oh_media_pipeline_set_frame_func (pipeline, on_frame_ignore, &frames, NULL);
      run_for (fixture, 50);
    }
  run_for (fixture, 100);
  fds_before = count_dir_entries ("/proc/self/fd");
  threads_before = count_dir_entries ("/proc/self/task");

  for (guint i = 0; i < iterations; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OhMediaPipeline) pipeline =
        oh_media_pipeline_new (&fixture->format, TONE_SOURCE, "fakesink sync=true", &error);
      g_autoptr(GBytes) frame = make_tone_frame (fixture);

      g_assert_no_error (error);
      oh_media_pipeline_set_frame_func (pipeline, on_frame_ignore, &frames, NULL);
      oh_media_pipeline_push_frame (pipeline, frame);
      if (i % 20 == 0)
        {
          run_for (fixture, 40);
          oh_media_pipeline_set_held (pipeline, TRUE);
          oh_media_pipeline_set_held (pipeline, FALSE);
        }
      g_main_context_iteration (NULL, FALSE);
    }
  run_for (fixture, 100);

  fds_after = count_dir_entries ("/proc/self/fd");
  threads_after = count_dir_entries ("/proc/self/task");
  g_test_message ("%u calls: %u → %u fds, %u → %u threads, %u frames", iterations, fds_before,
                  fds_after, threads_before, threads_after, frames);
  g_assert_cmpuint (fds_after, <=, fds_before);
  /* GStreamer's thread pool may keep a few idle threads for reuse. */
  g_assert_cmpuint (threads_after, <=, threads_before + 4);
}

/* The first audio device of @bin and its children, or NULL. */
static GstElement *
find_device (GstElement *bin,
             GType       type)
{
  g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (bin));
  g_auto(GValue) item = G_VALUE_INIT;
  GstElement *found = NULL;

  while (found == NULL && gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (g_value_get_object (&item), type))
        found = g_value_dup_object (&item);
      g_value_reset (&item);
    }
  return found;
}

static gint64
get_time_property (GstElement *element,
                   const char *name)
{
  gint64 value = 0;

  g_object_get (element, name, &value, NULL);
  return value;
}

/* Sound card elements get call-sized buffers (a speaker's default of
 * 200 ms would be 200 ms of latency; a microphone's 10 ms periods, two
 * wake-ups per frame), unless the description sets them; whether they are
 * in the description or made later (autoaudiosink makes its device when it
 * starts). No sound card needed: the devices are never opened. */
static void
test_device_buffers (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GstElementFactory) pulse = gst_element_factory_find ("pulsesink");
  g_autoptr(GstElement) output = NULL;
  g_autoptr(GstElement) device = NULL;
  GstElement *pipeline, *sink_bin, *added;

  if (pulse == NULL)
    {
      g_test_skip ("No pulsesink to try with");
      return;
    }

  /* A sound server that is not there: the pipeline fails to start, after
   * the buffers were sized. */
  g_test_expect_message ("offhook-media", G_LOG_LEVEL_WARNING, "*audio*");
  fixture_start (fixture, "pulsesrc server=/nonexistent/pulse",
                 "pulsesink server=/nonexistent/pulse", OH_MEDIA_PIPELINE_FLAGS_NONE);
  g_test_assert_expected_messages ();
  pipeline = oh_media_pipeline_get_pipeline (fixture->pipeline);
  device = find_device (pipeline, GST_TYPE_AUDIO_BASE_SINK);
  g_assert_nonnull (device);
  g_assert_cmpint (get_time_property (device, "buffer-time"), ==, 30000);
  g_assert_cmpint (get_time_property (device, "latency-time"), ==, 10000);
  g_clear_object (&device);
  device = find_device (pipeline, GST_TYPE_AUDIO_BASE_SRC);
  g_assert_nonnull (device);
  g_assert_cmpint (get_time_property (device, "latency-time"), ==, 20000);
  g_clear_object (&device);
  g_clear_object (&fixture->pipeline);

  /* The user's own sizes stay. */
  g_test_expect_message ("offhook-media", G_LOG_LEVEL_WARNING, "*audio*");
  fixture_start (fixture, "pulsesrc server=/nonexistent/pulse latency-time=5000",
                 "pulsesink server=/nonexistent/pulse buffer-time=120000",
                 OH_MEDIA_PIPELINE_FLAGS_NONE);
  g_test_assert_expected_messages ();
  pipeline = oh_media_pipeline_get_pipeline (fixture->pipeline);
  device = find_device (pipeline, GST_TYPE_AUDIO_BASE_SINK);
  g_assert_cmpint (get_time_property (device, "buffer-time"), ==, 120000);
  g_clear_object (&device);
  device = find_device (pipeline, GST_TYPE_AUDIO_BASE_SRC);
  g_assert_cmpint (get_time_property (device, "latency-time"), ==, 5000);
  g_clear_object (&device);
  g_clear_object (&fixture->pipeline);

  /* A device made once the pipeline exists. */
  fixture_start (fixture, SILENT_SOURCE, "fakesink name=output", OH_MEDIA_PIPELINE_FLAGS_NONE);
  pipeline = oh_media_pipeline_get_pipeline (fixture->pipeline);
  output = gst_bin_get_by_name (GST_BIN (pipeline), "output");
  sink_bin = GST_ELEMENT (gst_object_get_parent (GST_OBJECT (output)));
  added = gst_element_factory_make ("pulsesink", NULL);
  gst_bin_add (GST_BIN (sink_bin), added);
  g_assert_cmpint (get_time_property (added, "buffer-time"), ==, 30000);
  gst_bin_remove (GST_BIN (sink_bin), added);
  gst_object_unref (sink_bin);
}

static void
test_invalid_format (void)
{
  g_autoptr(GError) error = NULL;
  OhMediaFormat format = { OH_MEDIA_ENCODING_SLIN, 16000, 1, 641, 20 };
  g_autoptr(OhMediaPipeline) pipeline = NULL;

  pipeline = oh_media_pipeline_new (&format, SILENT_SOURCE, "fakesink", &error);
  g_assert_null (pipeline);
  g_assert_nonnull (error);
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  add_test ("/media/playback/tone", test_playback_tone);
  add_test ("/media/capture/tone", test_capture_tone);
  add_test ("/media/capture/tone-no-dsp", test_capture_tone_no_dsp);
  add_test ("/media/ulaw", test_ulaw);
  add_test ("/media/mute", test_mute);
  add_test ("/media/hold", test_hold);
  add_test ("/media/flow-control", test_flow_control);
  add_test ("/media/flood", test_flood);
  add_test ("/media/stalled", test_stalled);
  add_test ("/media/failure/open", test_device_failure);
  add_test ("/media/failure/later", test_device_failure_later);
  add_test ("/media/devices/buffers", test_device_buffers);
  add_test ("/media/bad-frames", test_bad_frames);
  add_test ("/media/stop", test_stop);
  add_test ("/media/no-leaks", test_no_leaks);
  g_test_add_func ("/media/invalid-format", test_invalid_format);

  return g_test_run ();
}
