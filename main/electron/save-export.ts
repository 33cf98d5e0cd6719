import { copyFile } from 'node:fs/promises';
import { dialog, type BrowserWindow } from 'electron';
import { exportFile } from '../core/reports/export.ts';

/** Copies a finished export's file where the user's save dialog says; false when they cancelled. */
export async function saveExport(dataDir: string, win: BrowserWindow | null, id: unknown, name: unknown): Promise<{ saved: boolean; path?: string }> {
  if (typeof id !== 'string' || typeof name !== 'string') return { saved: false };
  const from = exportFile(dataDir, id, name);
  const opts = { defaultPath: name };
  const choice = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
  if (choice.canceled || !choice.filePath) return { saved: false };
  await copyFile(from, choice.filePath);
  return { saved: true, path: choice.filePath };
}
