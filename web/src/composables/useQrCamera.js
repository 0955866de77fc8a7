// A camera reading QR codes where the browser can (BarcodeDetector): the
// phone's scanner (扫码) and a desk's (摄像头扫码) share it. While `open()` is
// true the camera runs into `video`; the first code read is handed to
// `scanned` once, and the camera stops. `failed` tells the page the camera
// could not start (no permission, no camera).
import { onBeforeUnmount, ref, watch } from 'vue';

// Whether this browser reads QR codes from a camera (elsewhere the code is typed).
export const canScan = typeof window !== 'undefined' && 'BarcodeDetector' in window && Boolean(navigator.mediaDevices?.getUserMedia);

export function useQrCamera(open, scanned) {
  const video = ref(null);
  const failed = ref(false);
  let stream = null;
  let timer = null;

  function stop() {
    clearInterval(timer);
    timer = null;
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
  }
  async function start() {
    failed.value = false;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      video.value.srcObject = stream;
      await video.value.play();
      const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      timer = setInterval(async () => {
        const found = await detector.detect(video.value).catch(() => []);
        if (!found.length || !timer) return;
        stop();
        scanned(found[0].rawValue);
      }, 300);
    } catch {
      failed.value = true;
      stop();
    }
  }
  watch(open, (on) => (on ? setTimeout(start) : stop()));
  onBeforeUnmount(stop);
  return { video, failed };
}
