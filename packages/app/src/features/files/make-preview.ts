import { FILE_LIMITS } from '@discordopus/protocol/files';
import { bytesToBase64 } from '../../lib/base64';
import { isPreviewableImage } from './file-format';
import type { BridgePreview } from '@discordopus/protocol/bridge';

/** The longest side of a preview, in CSS pixels (Discord shows inline images about this big). */
export const PREVIEW_MAX_SIDE = 400;

export interface ImagePreview {
  mime: BridgePreview['mime'];
  /** Standard base64 of the encoded image, at most FILE_LIMITS.maxPreviewBytes once decoded. */
  data: string;
}

/** Makes the small preview an image file is offered with; null when it cannot (not an image, no canvas). */
export type PreviewMaker = (file: Blob) => Promise<ImagePreview | null>;

function toBlob(canvas: HTMLCanvasElement, mime: string, quality: number): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, mime, quality));
}

/**
 * FILE-03: the sender's preview of an image, made here in the window: the picture scaled into a
 * PREVIEW_MAX_SIDE box on a canvas, encoded as WebP (JPEG where the browser cannot write WebP),
 * lowering quality and then size until it fits the protocol's preview limit. Anything that goes
 * wrong (a broken image, a browser without canvas) gives null: the file is then sent without one.
 */
export const makeImagePreview: PreviewMaker = async (file) => {
  if (!isPreviewableImage(file.type) || typeof createImageBitmap !== 'function') return null;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null;
  }
  try {
    for (let side = PREVIEW_MAX_SIDE; side >= 64; side = Math.floor(side * 0.7)) {
      const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height, 1));
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      const context = canvas.getContext('2d');
      if (context === null) return null;
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      for (const quality of [0.8, 0.6, 0.4]) {
        let blob = await toBlob(canvas, 'image/webp', quality);
        if (blob !== null && blob.type !== 'image/webp') {
          // No WebP encoder: JPEG on white (JPEG has no transparency).
          context.globalCompositeOperation = 'destination-over';
          context.fillStyle = '#ffffff';
          context.fillRect(0, 0, canvas.width, canvas.height);
          blob = await toBlob(canvas, 'image/jpeg', quality);
        }
        if (blob === null) return null;
        if (blob.size <= FILE_LIMITS.maxPreviewBytes && (blob.type === 'image/webp' || blob.type === 'image/jpeg')) {
          return { mime: blob.type, data: bytesToBase64(new Uint8Array(await blob.arrayBuffer())) };
        }
      }
    }
    return null;
  } catch {
    return null;
  } finally {
    bitmap.close();
  }
};
