"""The resident's window (주민 창구): /my, /my/records, applying for 돌봄."""
